# Runs `idp template render --cases cases.jsonl` and compares with expected.jsonl.
execute_process(COMMAND ${IDP} template render --cases ${DIR}/cases.jsonl
  OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "idp template render exited with ${rc}")
endif()
execute_process(COMMAND ${PYTHON} ${DIR}/compare.py ${DIR}/expected.jsonl ${OUT} ${DIR}/divergences.json
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "template conformance failed")
endif()
