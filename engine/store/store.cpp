#include "store/store.h"

#include <sqlite3.h>

#include <filesystem>

namespace sx {

namespace {

// The statements every connection prepares once, declared once.
// X(Name, "SQL")
#define SX_STORE_STATEMENTS(X)                                                          \
  X(Get, "SELECT value FROM kv WHERE key = ?1")                                         \
  X(Put, "INSERT INTO kv(key, value) VALUES(?1, ?2) "                                  \
         "ON CONFLICT(key) DO UPDATE SET value = excluded.value")                       \
  X(Delete, "DELETE FROM kv WHERE key = ?1")                                            \
  X(Has, "SELECT 1 FROM kv WHERE key = ?1")                                             \
  X(KeysFrom, "SELECT key FROM kv WHERE key >= ?1 ORDER BY key")                        \
  X(KeysRange, "SELECT key FROM kv WHERE key >= ?1 AND key < ?2 ORDER BY key")          \
  X(Begin, "BEGIN IMMEDIATE")                                                           \
  X(Commit, "COMMIT")

enum class Stmt : uint8_t {
#define X(n, sql) n,
  SX_STORE_STATEMENTS(X)
#undef X
      Count
};

constexpr const char* kStatementSql[] = {
#define X(n, sql) sql,
    SX_STORE_STATEMENTS(X)
#undef X
};

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID";

// The smallest string greater than every string starting with `prefix`, or nullopt when
// there is none (the prefix is all 0xFF bytes).
std::optional<std::string> prefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (end.empty()) return std::nullopt;
  end.back() = char(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

}  // namespace

struct Store::Connection {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmts[size_t(Stmt::Count)] = {};

  ~Connection() {
    for (sqlite3_stmt* s : stmts) sqlite3_finalize(s);
    sqlite3_close_v2(db);
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw StoreError("store: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
  }

  void exec(const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }

  // A prepared statement, reset and with its bindings cleared by the Use that holds it.
  sqlite3_stmt* stmt(Stmt s) { return stmts[size_t(s)]; }

  void bindText(sqlite3_stmt* st, int index, std::string_view text) {
    if (sqlite3_bind_text(st, index, text.data(), int(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
      fail("cannot bind a parameter");
  }

  // Steps a statement that returns no rows (or ignores them).
  void run(Stmt s, const char* what) {
    sqlite3_stmt* st = stmt(s);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(what);
  }
};

// A connection borrowed from the pool for the length of one call.
class Store::Lease {
 public:
  Lease(Store& s, std::unique_ptr<Connection> c) : store_(s), conn_(std::move(c)) {}
  ~Lease() {
    if (conn_) store_.release(std::move(conn_));
  }
  Lease(Lease&&) = default;
  Connection* operator->() { return conn_.get(); }

 private:
  Store& store_;
  std::unique_ptr<Connection> conn_;
};

Store::Store(std::string dataDir) : dir_(std::move(dataDir)) {}
Store::~Store() = default;

size_t Store::connectionCount() const {
  std::lock_guard lock(poolMutex_);
  return opened_;
}

std::unique_ptr<Store::Connection> Store::openConnection() {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw StoreError("store: cannot create the data directory " + dir_ + ": " + ec.message());
  auto c = std::make_unique<Connection>();
  std::string path = (std::filesystem::path(dir_) / kFileName).string();
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &c->db, flags, nullptr) != SQLITE_OK) c->fail("cannot open " + path);
  sqlite3_busy_timeout(c->db, kBusyTimeoutMs);
  c->exec("PRAGMA journal_mode=WAL");
  c->exec("PRAGMA synchronous=FULL");  // see the header: fsync at every commit
  c->exec(kSchema);
  for (size_t i = 0; i < size_t(Stmt::Count); ++i)
    if (sqlite3_prepare_v3(c->db, kStatementSql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->stmts[i], nullptr) != SQLITE_OK)
      c->fail(std::string("cannot prepare ") + kStatementSql[i]);
  return c;
}

Store::Lease Store::acquire() {
  {
    std::lock_guard lock(poolMutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  std::unique_ptr<Connection> c = openConnection();
  std::lock_guard lock(poolMutex_);
  ++opened_;
  return Lease(*this, std::move(c));
}

void Store::release(std::unique_ptr<Connection> c) {
  std::lock_guard lock(poolMutex_);
  idle_.push_back(std::move(c));
}

std::optional<std::string> Store::get(std::string_view key) {
  Lease c = acquire();
  sqlite3_stmt* st = c->stmt(Stmt::Get);
  c->bindText(st, 1, key);
  int rc = sqlite3_step(st);
  std::optional<std::string> out;
  if (rc == SQLITE_ROW) {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    out.emplace(text ? text : "", size_t(sqlite3_column_bytes(st, 0)));
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) c->fail("kv-get");
  return out;
}

bool Store::has(std::string_view key) {
  Lease c = acquire();
  sqlite3_stmt* st = c->stmt(Stmt::Has);
  c->bindText(st, 1, key);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) c->fail("kv-has?");
  return rc == SQLITE_ROW;
}

std::vector<std::string> Store::keys(std::string_view prefix) {
  Lease c = acquire();
  std::optional<std::string> end = prefixEnd(prefix);
  sqlite3_stmt* st = c->stmt(end ? Stmt::KeysRange : Stmt::KeysFrom);
  c->bindText(st, 1, prefix);
  if (end) c->bindText(st, 2, *end);
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    out.emplace_back(text ? text : "", size_t(sqlite3_column_bytes(st, 0)));
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) c->fail("kv-keys");
  return out;
}

void Store::put(std::string_view key, std::string_view value) {
  std::lock_guard write(writeMutex_);
  Lease c = acquire();
  sqlite3_stmt* st = c->stmt(Stmt::Put);
  c->bindText(st, 1, key);
  c->bindText(st, 2, value);
  c->run(Stmt::Put, "kv-put");
}

bool Store::remove(std::string_view key) {
  std::lock_guard write(writeMutex_);
  Lease c = acquire();
  c->bindText(c->stmt(Stmt::Delete), 1, key);
  c->run(Stmt::Delete, "kv-delete");
  return sqlite3_changes(c->db) > 0;
}

void Store::batch(const std::vector<StoreWrite>& writes) {
  std::lock_guard write(writeMutex_);
  Lease c = acquire();
  c->run(Stmt::Begin, "kv-batch: begin");
  try {
    for (const StoreWrite& w : writes) {
      if (w.kind == StoreWrite::Kind::Put) {
        sqlite3_stmt* st = c->stmt(Stmt::Put);
        c->bindText(st, 1, w.key);
        c->bindText(st, 2, w.value);
        c->run(Stmt::Put, "kv-batch: put");
      } else {
        c->bindText(c->stmt(Stmt::Delete), 1, w.key);
        c->run(Stmt::Delete, "kv-batch: delete");
      }
    }
    c->run(Stmt::Commit, "kv-batch: commit");
  } catch (const StoreError&) {
    if (!sqlite3_get_autocommit(c->db)) sqlite3_exec(c->db, "ROLLBACK", nullptr, nullptr, nullptr);  // best effort
    throw;
  }
}

}  // namespace sx
