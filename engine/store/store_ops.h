// The store's IO ops, registered in an isolate's op table as async ops (effects/
// async_driver.h): kv-get, kv-put, kv-delete, kv-has?, kv-keys, kv-batch. The glue
// converts on the isolate's thread: arguments to plain strings (values printed as SX
// text, checked to read back equal), results back to values (text read by the reader).
//
//   (perform {:op "kv-get" :args (list key)})        -> the value, or nil
//   (perform {:op "kv-put" :args (list key value)})  -> value
//   (perform {:op "kv-delete" :args (list key)})     -> true when the key existed
//   (perform {:op "kv-has?" :args (list key)})       -> boolean
//   (perform {:op "kv-keys" :args (list prefix)})    -> the keys with that prefix, sorted
//   (perform {:op "kv-batch" :args (list (list (list "put" k v) (list "delete" k)))})
//                                                     -> number of writes, applied atomically
#pragma once

#include <memory>
#include <string>

#include "store/store.h"
#include "value/isolate.h"

namespace sx {

void installStoreOps(Isolate& iso, std::shared_ptr<Store> store);

// The default data directory of a project: `.sx-data/` beside its entry file.
std::string defaultDataDir(const std::string& entryFile);

}  // namespace sx
