#pragma once
// Lab files: a lab (hosts and tenant objects) as human-writable, versioned YAML.
//
// What
//   loadLab() reads a lab file and builds a Cloud by replaying its objects through the
//   Cloud's validated operations (hosts, networks with subnets, routers with gateway and
//   interfaces, floating IPs, instances), so a file can never describe a lab the commands
//   could not build. saveLab() writes a Cloud back; save(load(f)) reproduces f's objects
//   and every generated value (ids, MACs, IPs, VLANs) is written pinned, so loading a saved
//   file gives the same lab and saving it again gives the same bytes.
//
// Format (version 1): see the README's "Lab files" section and resources/labs/seed.yaml.
//
// Errors
//   Every error names the file, line and column and the field ("seed.yaml:12:9: networks[0].
//   subnets[0].cidr: '10.10.10.0/33' is not an IPv4 CIDR"): bad YAML, unknown keys, wrong
//   types, missing required fields, and everything the Cloud rejects (overlapping subnets,
//   duplicate MACs or IPs, an instance on an unknown host), located at the object's node.

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "model/cloud.h"

namespace nlab::model {

/// A located lab-file error.
struct LabFileError {
    std::string file;
    int line = 0;       ///< 1-based; 0 when unknown (e.g. file not readable).
    int column = 0;     ///< 1-based.
    std::string field;  ///< "networks[0].subnets[0].cidr"; "" for syntax errors.
    std::string message;
    /// "file:line:column: field: message" (parts that are empty/0 are left out).
    std::string toString() const;
};

/// The result of loading: a Cloud or the first error.
struct LoadedLab {
    std::unique_ptr<Cloud> cloud;       ///< Null on error.
    std::optional<LabFileError> error;
    explicit operator bool() const { return cloud != nullptr; }
};

struct LoadOptions {
    /// Create the instances' ports (pinned, unbound) but boot no instance: the lab as it was
    /// before `nova boot` (the seed article's starting point; `nova boot --nic port-id=`
    /// boots them later).
    bool withoutInstances = false;
    /// After booting the instances, run the lab's clock until each has its DHCP lease (at
    /// most 60 s of virtual time; Cloud::settleInstances), so they can be pinged at once.
    bool settle = true;
};

/// Loads a lab from YAML text; 'fileName' is used in error messages.
LoadedLab loadLabText(std::string_view text, std::string_view fileName, LoadOptions options = {});
/// Loads a lab file.
LoadedLab loadLabFile(const std::string& path, LoadOptions options = {});
/// The built-in seed lab (../shared/seed/SCENARIO.md), compiled into the program.
LoadedLab loadSeedLab(LoadOptions options = {});
/// The seed lab's YAML text.
std::string_view seedLabText();
/// Serialises a Cloud to lab-file YAML (version 1).
std::string saveLab(const Cloud& cloud);
/// Writes atomically (temporary file + rename). Error message names the path.
engine::Status saveLabFile(const Cloud& cloud, const std::string& path);

}  // namespace nlab::model
