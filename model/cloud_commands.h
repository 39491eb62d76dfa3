#pragma once
// The `neutron` and `nova` clients of the lab: python-neutronclient 2.3 and
// python-novaclient 2.17 (OpenStack Icehouse) over a Cloud.
//
// What
//   registerCloudCommands() adds `neutron` (net-, subnet-, port-, router-, floatingip-
//   commands) and `nova` (boot, list, show, delete) to a Shell, in host and cloud scopes.
//   Each prints what the real client prints: cliff/prettytable tables ("Created a new
//   network:" + Field/Value, list tables in the server's order, by id), the one-line
//   confirmations ("Deleted network: private1", "Added interface ... to router router1."),
//   argparse usage and errors (status 2), server errors as the client prints them
//   (neutron: the server's message, status 1; nova: "ERROR: ... (HTTP 400) (Request-ID:
//   req-...)", status 1).
//
// Design
//   - An argparse emulation (parse_known_args for neutron, whose unknown `--key value`
//     words become the request's extra attributes, e.g. --provider:network_type gre;
//     parse_args for nova), with argparse's usage wrapping at 80 columns.
//   - Names are resolved as the clients do (id first, then a unique name) before the Cloud
//     is called, so "Unable to find network with name 'x'" is the client's wording and the
//     Cloud's errors are the server's.
//   - Values the client shows but the lab does not model (user ids, request ids, the admin
//     password, timestamps) come from a generator seeded by the cloud's seed, kept apart
//     from the cloud's own generator, and from the lab's virtual clock.
//
// Invariants
//   A command never throws; a failed command changes nothing in the cloud.

#include <string>
#include <vector>

namespace nlab::engine {
class Shell;
}

namespace nlab::model {

class Cloud;

/// Registers `neutron` and `nova` (scopes kScopeHost|kScopeCloud) operating on 'cloud'.
/// 'cloud' must outlive the shell's use of these commands.
void registerCloudCommands(engine::Shell& shell, Cloud& cloud);

/// A prettytable 0.7 table as cliff and novaclient print it (all columns left-aligned,
/// one space of padding, cells with '\n' spread over several lines), with a final
/// newline. With no rows: the header box only.
std::string formatPrettyTable(const std::vector<std::string>& headers,
                              const std::vector<std::vector<std::string>>& rows);

}  // namespace nlab::model
