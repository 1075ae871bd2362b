#include "sqlite.h"

#include <sqlite3.h>

#include <utility>

#include "util.h"

namespace gale::store::sqlite {

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Query::~Query() {
  if (statement_ != nullptr) {
    sqlite3_reset(statement_->stmt_);
    sqlite3_clear_bindings(statement_->stmt_);
  }
}

Query &Query::Bind(int index, std::string_view text) {
  // A default-constructed view has a null data pointer, which SQLite would bind as NULL.
  sqlite3_bind_text64(statement_->stmt_, index, text.data() != nullptr ? text.data() : "",
                      text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Query &Query::Bind(int index, int64_t value) {
  sqlite3_bind_int64(statement_->stmt_, index, value);
  return *this;
}

Query &Query::Bind(int index, double value) {
  sqlite3_bind_double(statement_->stmt_, index, value);
  return *this;
}

Query &Query::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: SQLite treats a null pointer as NULL.
  static const char kEmpty = 0;
  sqlite3_bind_blob64(statement_->stmt_, index, bytes.data() != nullptr ? bytes.data() : &kEmpty,
                      bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Query &Query::BindNull(int index) {
  sqlite3_bind_null(statement_->stmt_, index);
  return *this;
}

Query &Query::BindOrNull(int index, std::string_view text) {
  return text.empty() ? BindNull(index) : Bind(index, text);
}

absl::StatusOr<bool> Query::Step() {
  rc_ = sqlite3_step(statement_->stmt_);
  if (rc_ == SQLITE_ROW) {
    return true;
  }
  if (rc_ == SQLITE_DONE) {
    return false;
  }
  return statement_->db_.Error(rc_, sqlite3_sql(statement_->stmt_));
}

absl::Status Query::Run() {
  return EachRow([](const Query &) {});
}

int64_t Query::Int64(int column) const {
  return sqlite3_column_int64(statement_->stmt_, column);
}

double Query::Double(int column) const {
  return sqlite3_column_double(statement_->stmt_, column);
}

std::string Query::Text(int column) const {
  const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement_->stmt_, column));
  if (text == nullptr) {
    return {};
  }
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement_->stmt_, column)));
}

std::string Query::Blob(int column) const {
  const auto *bytes = static_cast<const char *>(sqlite3_column_blob(statement_->stmt_, column));
  if (bytes == nullptr) {
    return {};
  }
  return std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(statement_->stmt_, column)));
}

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string &path) {
  std::unique_ptr<Db> db(new Db(path));
  // NOMUTEX: the Store serialises every use of the connection with its own mutex.
  int rc = sqlite3_open_v2(
      path.c_str(), &db->db_,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  if (rc != SQLITE_OK) {
    return db->Error(rc, "open");
  }
  return db;
}

Db::~Db() {
  cache_.clear();  // statements must be finalized before the connection closes
  if (db_ != nullptr) {
    sqlite3_close(db_);
  }
}

absl::Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return Error(rc, text);
  }
  return absl::OkStatus();
}

absl::StatusOr<Query> Db::Prepare(const std::string &sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt *stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return Error(rc, sql);
    }
    it = cache_.emplace(sql, std::make_unique<Statement>(*this, stmt)).first;
  }
  return Query(*it->second);
}

int64_t Db::Changes() const {
  return sqlite3_changes64(db_);
}

absl::Status Db::Error(int rc, std::string_view what) const {
  const char *message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  // `what` is often a statement's SQL: its start is enough to tell which.
  constexpr size_t kMaxWhat = 60;
  std::string short_what(what.substr(0, kMaxWhat));
  if (what.size() > kMaxWhat) {
    short_what += "...";
  }
  std::string text = Cat(path_, ": ", short_what, ": ", message, " (SQLite code ", rc, ")");
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          Cat(text,
              "; another process holds the database: is a second galed using "
              "this state folder?"));
    case SQLITE_NOTADB:
      return absl::FailedPreconditionError(text);
    case SQLITE_CORRUPT:
      return absl::DataLossError(text);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(text);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::PermissionDeniedError(text);
    case SQLITE_CANTOPEN:
      return absl::FailedPreconditionError(text);
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(text);
    default:
      return absl::InternalError(text);
  }
}

Transaction::~Transaction() {
  if (open_) {
    // Nothing to report to: the caller is already returning the error that got us here.
    (void)db_.Exec("ROLLBACK");
  }
}

absl::Status Transaction::Begin() {
  absl::Status status = db_.Exec("BEGIN IMMEDIATE");
  open_ = status.ok();
  return status;
}

absl::Status Transaction::Commit() {
  absl::Status status = db_.Exec("COMMIT");
  if (status.ok()) {
    open_ = false;
  }
  return status;
}

bool IsConstraint(int rc) {
  return (rc & 0xff) == SQLITE_CONSTRAINT;
}
bool IsForeignKey(int rc) {
  return rc == SQLITE_CONSTRAINT_FOREIGNKEY;
}
bool IsUnique(int rc) {
  return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
}

}  // namespace gale::store::sqlite
