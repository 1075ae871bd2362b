// A thin RAII layer over the SQLite C API: a connection with a cache of prepared statements,
// statements that reset themselves when a use ends, and transactions that roll back unless
// committed. Not thread-safe: the Store serialises every use.
#ifndef GALE_STORE_SRC_SQLITE_H_
#define GALE_STORE_SRC_SQLITE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gale::store::sqlite {

class Db;

/// A prepared statement owned by a Db's cache. Use it through a Query.
class Statement {
 public:
  Statement(Db &db, sqlite3_stmt *stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;

 private:
  friend class Query;
  Db &db_;
  sqlite3_stmt *stmt_;
};

/// One use of a cached statement: bind, step, read columns. Resetting on destruction ends any
/// read the statement holds open (an unfinished SELECT would otherwise pin the WAL).
class Query {
 public:
  explicit Query(Statement &statement) : statement_(&statement) {}
  ~Query();
  Query(Query &&other) noexcept : statement_(other.statement_), rc_(other.rc_) {
    other.statement_ = nullptr;
  }
  Query(const Query &) = delete;
  Query &operator=(const Query &) = delete;
  Query &operator=(Query &&) = delete;

  // Parameters are 1-based, as in SQLite. Values are copied.
  Query &Bind(int index, std::string_view text);
  Query &Bind(int index, int64_t value);
  Query &Bind(int index, double value);
  Query &BindBlob(int index, std::string_view bytes);
  Query &BindNull(int index);
  /// Text, or NULL when empty (for optional foreign keys).
  Query &BindOrNull(int index, std::string_view text);

  /// @returns true when a row is ready, false when done.
  /// @retval non-OK with SQLite's message; rc() gives the extended result code.
  absl::StatusOr<bool> Step();
  /// Steps until done, ignoring rows.
  absl::Status Run();
  /// Steps until done, calling `fn(*this)` (which reads the row's columns) for each row.
  template <typename Fn>
  absl::Status EachRow(Fn fn) {
    for (;;) {
      absl::StatusOr<bool> row = Step();
      if (!row.ok()) {
        return row.status();
      }
      if (!*row) {
        return absl::OkStatus();
      }
      fn(static_cast<const Query &>(*this));
    }
  }
  /// Steps until done, appending `read(*this)` to `out` for each row.
  template <typename T, typename Read>
  absl::Status ReadAll(std::vector<T> *out, Read read) {
    return EachRow([out, &read](const Query &row) { out->push_back(read(row)); });
  }
  /// The extended result code of the last Step.
  int rc() const { return rc_; }

  int64_t Int64(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;

 private:
  Statement *statement_;
  int rc_ = 0;
};

class Db {
 public:
  /// Opens (creating when missing) `path` read-write, with extended result codes.
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string &path);
  ~Db();
  Db(const Db &) = delete;
  Db &operator=(const Db &) = delete;

  const std::string &path() const { return path_; }
  sqlite3 *handle() const { return db_; }

  /// Runs one or more statements without parameters.
  absl::Status Exec(std::string_view sql);
  /// A cached statement for `sql` (prepared on first use, kept for the connection's life).
  absl::StatusOr<Query> Prepare(const std::string &sql);
  /// Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  /// A status for result code `rc` of operation `what`, naming the file and SQLite's message.
  absl::Status Error(int rc, std::string_view what) const;

 private:
  explicit Db(std::string path) : path_(std::move(path)) {}
  std::string path_;
  sqlite3 *db_ = nullptr;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

/// BEGIN IMMEDIATE (takes the write lock up front, so a transaction never fails half-way on a
/// lock upgrade); rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Db &db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction &) = delete;
  Transaction &operator=(const Transaction &) = delete;

  absl::Status Begin();
  absl::Status Commit();

 private:
  Db &db_;
  bool open_ = false;
};

/// Extended result code helpers.
bool IsConstraint(int rc);
bool IsForeignKey(int rc);
bool IsUnique(int rc);

}  // namespace gale::store::sqlite

#endif  // GALE_STORE_SRC_SQLITE_H_
