# Runs `SX disasm PROGRAM` twice into ACTUAL (and ACTUAL.again); fails unless both runs
# succeed, agree with each other, and match the golden listing EXPECTED byte for byte.
# On a mismatch the unified diff is printed to the test's output.
foreach(var SX PROGRAM EXPECTED ACTUAL)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "compare_listing.cmake: -D${var}=... is required")
  endif()
endforeach()

foreach(out ${ACTUAL} ${ACTUAL}.again)
  execute_process(COMMAND ${SX} disasm ${PROGRAM}
    OUTPUT_FILE ${out} ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sx disasm ${PROGRAM} failed (${rc}):\n${err}")
  endif()
endforeach()

file(READ ${ACTUAL} actual)
file(READ ${ACTUAL}.again again)
if(NOT actual STREQUAL again)
  execute_process(COMMAND diff -u ${ACTUAL} ${ACTUAL}.again)
  message(FATAL_ERROR "two runs of sx disasm ${PROGRAM} differ (diff above): the listing is not deterministic")
endif()
if(actual STREQUAL "")
  message(FATAL_ERROR "sx disasm ${PROGRAM} printed nothing")
endif()

if(NOT EXISTS ${EXPECTED})
  message(FATAL_ERROR "missing golden listing ${EXPECTED}: run scripts/regen-golden-bytecode")
endif()
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  # The diff goes to the test's output verbatim (message() would reflow it).
  execute_process(COMMAND diff -u ${EXPECTED} ${ACTUAL})
  message(FATAL_ERROR "sx disasm ${PROGRAM} differs from ${EXPECTED} (diff above); "
    "if the compiler change is intended, run scripts/regen-golden-bytecode and review the diff")
endif()
string(REGEX MATCHALL "\nfunction |^function " listings "${actual}")
list(LENGTH listings n)
message(STATUS "${PROGRAM}: ${n} listings match")
