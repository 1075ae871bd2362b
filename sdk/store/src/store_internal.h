// Store internals visible to the store's own tests.
#ifndef GALE_STORE_SRC_STORE_INTERNAL_H_
#define GALE_STORE_SRC_STORE_INTERNAL_H_

#include <memory>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "gale/store/store.h"

namespace gale::store::internal {

/// Store::Open with another list of migrations (so tests can play an older or newer Gale).
/// The schema version written is migrations.size().
absl::StatusOr<std::unique_ptr<Store>> OpenWithMigrations(const std::string &path,
                                                          std::span<const char *const> migrations);

}  // namespace gale::store::internal

#endif  // GALE_STORE_SRC_STORE_INTERNAL_H_
