#pragma once
// TenantTreeModel: the lab's tenant objects as a tree — what the properties dock, the palette
// and selection sync between the physical and logical views work with.
//
// What
//   Five group rows, then the objects of the TenantState under them:
//     Hosts        -> each host
//     Networks     -> each network -> its subnets, then its ports
//     Routers      -> each router  -> its interface ports, then its gateway port
//     Instances    -> each instance -> its ports (NICs, eth0 first)
//     Floating IPs -> each floating IP
//   Columns: name (ports are named by their device, "tap8cbe7bb6-18", "qr-d8fd27a6-d1"),
//   details (role and data IP, type and segmentation id, CIDR, IP and MAC, host, ...) and id.
//   Role::Object gives each row's ObjectRef (kind + id); Role::ObjectKind and Role::ObjectId
//   the parts.
//
// Design
//   The tree is rebuilt from the TenantState on every topologyChanged() into a fresh tree,
//   then merged into the displayed one parent by parent: children are keyed by ObjectRef, rows
//   that went are removed, rows that came are inserted (with their subtree), rows whose texts
//   changed get dataChanged — so views keep their expansion and selection. labReset() resets.
//   A port appears under its network and under its router or instance; indexOf() returns the
//   first (the one under its network), indexesOf() all.
//
// Invariants
//   Within one parent no two children have the same ObjectRef. Group rows are always present,
//   in the order above.

#include "model/qt/roles.h"

#include <QAbstractItemModel>
#include <QPointer>

#include <memory>
#include <vector>

namespace nlab::model {

class LabDocument;
struct TenantState;

class TenantTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column : int { NameColumn, DetailColumn, IdColumn, ColumnCount };

    /// Tree of 'document''s tenant objects ('document' must outlive the model).
    explicit TenantTreeModel(LabDocument* document, QObject* parent = nullptr);
    ~TenantTreeModel() override;

    /// The object of a row (kind Group with the group key for group rows; invalid ref for
    /// an invalid index).
    static ObjectRef objectAt(const QModelIndex& index);
    /// The first row showing 'ref' (column 0), or an invalid index.
    QModelIndex indexOf(const ObjectRef& ref) const;
    /// Every row showing 'ref' (column 0).
    QModelIndexList indexesOf(const ObjectRef& ref) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

public slots:
    /// Merges the current TenantState into the tree (see the essay).
    void refresh();
    /// Rebuilds from scratch (model reset).
    void reload();

private:
    struct Item;
    std::unique_ptr<Item> build(const TenantState& state) const;
    void merge(Item& shown, Item& fresh, const QModelIndex& shownIndex);
    QModelIndex indexFor(const Item* item, int column = 0) const;
    Item* itemAt(const QModelIndex& index) const;
    void collect(const Item& item, const ObjectRef& ref, QModelIndexList& out,
                 bool firstOnly) const;

    QPointer<LabDocument> m_document;
    std::unique_ptr<Item> m_root;
};

}  // namespace nlab::model
