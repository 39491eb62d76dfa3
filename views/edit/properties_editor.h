#pragma once
// PropertiesEditor: the properties dock — the selected object's fields, from the tenant
// state, in a form; editable where Neutron allows (network, subnet and router names; a
// subnet's DHCP on/off and DNS servers), each change an undoable edit through the
// EditController.
//
// Design
//   The form is rebuilt from the model whenever the selection, the topology or the whole
//   lab changes; the old form is deleted later (a change may come from one of its own
//   widgets). Editable widgets carry object names ("name", "subnet.<id>.name",
//   "subnet.<id>.dhcp", "subnet.<id>.dns") so tests can find them. A physical selection
//   (a device, a namespace) shows the tenant object it stands for.

#include <QWidget>

namespace nlab::model {
class LabDocument;
}

class QFormLayout;
class QScrollArea;

namespace nlab::views {

class EditController;
class SelectionModel;

class PropertiesEditor : public QWidget {
    Q_OBJECT
public:
    PropertiesEditor(EditController& controller, model::LabDocument& document,
                     SelectionModel& selection, QWidget* parent = nullptr);

    /// Rebuilds the form from the current selection and lab (what every change triggers).
    void rebuild();
    /// The form's title line ("Network private1", "Nothing selected").
    QString title() const;

private:
    void buildNetwork(QFormLayout* form, const QString& id);
    void buildSubnet(QFormLayout* form, const QString& id, bool nested);
    void buildRouter(QFormLayout* form, const QString& id);
    void buildInstance(QFormLayout* form, const QString& id);
    void buildPort(QFormLayout* form, const QString& id);
    void buildHost(QFormLayout* form, const QString& name);
    void addNameEditor(QFormLayout* form, const QString& kind, const QString& id,
                       const QString& name, const QString& objectName);

    EditController& m_controller;
    model::LabDocument& m_document;
    SelectionModel& m_selection;
    QScrollArea* m_scroll;
    QWidget* m_content = nullptr;
    QString m_title;
};

}  // namespace nlab::views
