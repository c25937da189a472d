// The durable key-value store: SQLite in WAL mode in a project's data directory.
//
// The API is plain strings in and out (no engine Values), so any thread can call it:
// the op glue (store_ops.h) converts on the isolate's thread and runs the store on an
// IO thread or in place. Keys are strings ordered by their bytes (UTF-8 code point
// order); values are SX text written by the printer.
//
// Durability: every write is committed before its call returns, with
// journal_mode=WAL and synchronous=FULL, so the WAL is fsync'ed at each commit. An
// acknowledged write therefore survives SIGKILL of the process (NORMAL would already
// survive that, since the WAL write has reached the OS) and also an OS crash or power
// loss, which NORMAL does not promise.
//
// Threads: one Store per process, shared by every thread. Each call borrows a SQLite
// connection from a small pool (one connection is used by one thread at a time, opened
// with SQLITE_OPEN_NOMUTEX), so reads run in parallel under WAL. Writes are serialised
// by a mutex in the Store rather than SQLite's busy handler, whose sleep-and-retry adds
// milliseconds under contention. Another process writing the same database waits up to
// kBusyTimeoutMs.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sx {

// A store operation failed (cannot open, disk full, corrupt database...).
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One write of a batch.
struct StoreWrite {
  enum class Kind : uint8_t { Put, Delete };
  Kind kind = Kind::Put;
  std::string key;
  std::string value;  // Put only
};

class Store {
 public:
  // How long a write waits for another process holding the database's write lock.
  static constexpr int kBusyTimeoutMs = 5000;
  // The database file inside the data directory.
  static constexpr const char* kFileName = "store.sqlite3";

  // Nothing is touched on disk until the first operation, which creates `dataDir` (and
  // its parents) and the database. Throws nothing.
  explicit Store(std::string dataDir);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& dataDir() const { return dir_; }

  // All of these throw StoreError when the database cannot be used.
  std::optional<std::string> get(std::string_view key);
  void put(std::string_view key, std::string_view value);
  bool remove(std::string_view key);  // true when the key existed
  bool has(std::string_view key);
  std::vector<std::string> keys(std::string_view prefix);  // ascending byte order
  // Applies every write in one transaction: all of them or (on error) none.
  void batch(const std::vector<StoreWrite>& writes);

  // Connections opened so far (the pool's high-water mark).
  size_t connectionCount() const;

 private:
  struct Connection;
  class Lease;
  Lease acquire();
  void release(std::unique_ptr<Connection> c);
  std::unique_ptr<Connection> openConnection();

  std::string dir_;
  mutable std::mutex poolMutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t opened_ = 0;
  std::mutex writeMutex_;
};

}  // namespace sx
