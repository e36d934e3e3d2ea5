# The training run of the profile-guided build (see GAZETTE_PGO in
# CMakeLists.txt), run with `cmake -P`: the instrumented gazette converts,
# validates and compares the texts in samples/, and its profile is written to
# PROFILE_DIR when it exits. The profile of an earlier run is removed first, so
# that it always matches the instrumented binary just built.
#   -DGAZETTE=instrumented binary -DSAMPLES=samples folder
#   -DPROFILE_DIR=profile folder  -DWORK_DIR=scratch folder
foreach(var GAZETTE SAMPLES PROFILE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "pgo-train.cmake: -D${var}= is missing")
  endif()
endforeach()

file(REMOVE_RECURSE "${PROFILE_DIR}" "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(GLOB samples "${SAMPLES}/*.txt")
list(SORT samples)
list(LENGTH samples count)
if(count LESS 2)
  message(FATAL_ERROR "pgo-train.cmake: fewer than two sample texts in ${SAMPLES}")
endif()
list(GET samples 0 first)
list(GET samples 1 second)

# Each command must succeed: a sample that fails to convert fails the build.
function(train)
  execute_process(COMMAND "${GAZETTE}" ${ARGN} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  # validate and diff exit 1 for findings and differences: that is a result, not a failure.
  if(NOT rc EQUAL 0 AND NOT (rc EQUAL 1 AND ("${ARGV0}" STREQUAL "validate" OR "${ARGV0}" STREQUAL "diff")))
    message(FATAL_ERROR "pgo-train.cmake: gazette ${ARGN} failed (exit ${rc}): ${err}")
  endif()
endfunction()

# Both writers, one thread and two; then convert, validate and diff.
train(batch "${SAMPLES}" -o "${WORK_DIR}/json" --format json --quiet -j 1)
train(batch "${SAMPLES}" -o "${WORK_DIR}/yaml" --quiet -j 2)
train(convert "${first}" -o "${WORK_DIR}/convert" --quiet)
train(validate ${samples})
train(diff "${first}" "${second}")
file(REMOVE_RECURSE "${WORK_DIR}")
