#pragma once
// Identifiers and digests as OpenStack forms them.
//
// What
//   uuid4 strings from a seeded generator (Neutron's and Nova's ids), 32-digit hex ids
//   (Keystone's tenant and user ids), uuid5 (the DHCP agent's device id is
//   "dhcp" + uuid5(NAMESPACE_DNS, hostname) + "-" + network id), SHA-1 and SHA-224 (Nova's
//   hostId is sha224(project id + host)), and ISO 8601 times for Nova's timestamps.
//
// Design
//   Pure functions; the caller owns the generator, so the same seed gives the same ids.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace nlab::model {

/// A random (version 4, RFC 4122 variant) UUID in canonical lower-case form.
std::string makeUuid4(std::mt19937_64& rng);
/// 32 lower-case hex digits (a Keystone id).
std::string makeHexId(std::mt19937_64& rng);
/// True when 'text' has the form Neutron's clients treat as an id (8-4-4-4-12 hex digits).
bool looksLikeUuid(std::string_view text);
/// uuid5(NAMESPACE_DNS, name), as Python's uuid.uuid5 computes it.
std::string uuid5Dns(std::string_view name);
/// Lower-case hex SHA-1 digest of 'data'.
std::string sha1Hex(std::string_view data);
/// Lower-case hex SHA-224 digest of 'data'.
std::string sha224Hex(std::string_view data);
/// "2014-04-17T00:00:05Z" for 'secondsSinceEpoch' (UTC, no leap seconds).
std::string isoTime(std::int64_t secondsSinceEpoch);

}  // namespace nlab::model
