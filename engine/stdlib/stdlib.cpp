// Registers every native table of the standard library.
#include "effects/ho.h"
#include "effects/host.h"
#include "stdlib/native.h"
#include "stdlib/prims_control.h"
#include "stdlib/prims_core.h"
#include "stdlib/prims_data.h"
#include "stdlib/prims_reader.h"
#include "vm/tier.h"

namespace sx {

void registerCoreNatives(Isolate& iso) {
  registerNumberNatives(iso);
  registerPredicateNatives(iso);
  registerCharNatives(iso);
  registerStringNatives(iso);
  registerFormatNatives(iso);
  registerJsonNatives(iso);
  registerListNatives(iso);
  registerDictNatives(iso);
  registerVectorNatives(iso);
  registerHtmlTextNatives(iso);
  registerReaderNatives(iso);
  registerControlNatives(iso);
  registerHoNatives(iso);
  registerHostNatives(iso);
  registerTierNatives(iso);
}

}  // namespace sx
