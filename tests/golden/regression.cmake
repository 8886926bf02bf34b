# Golden end-to-end regression (see tests/golden/README.md). The check itself is the gtest
# Golden.QuickstartIsDeterministicAndMatchesTheGoldenFile in test_foundation (label foundation); this file adds
# the target that rewrites the expected file: cmake --build <build> --target golden_regen
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND TARGET aimcsim)
  add_custom_target(golden_regen
    COMMAND $<TARGET_FILE:aimcsim> run configs/quickstart.yaml --out ${CMAKE_BINARY_DIR}/golden_quickstart
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/regen.py ${CMAKE_BINARY_DIR}/golden_quickstart/report.json
            ${CMAKE_CURRENT_LIST_DIR}/quickstart_expected.json
    WORKING_DIRECTORY ${AIMCSIM_SOURCE_ROOT}
    DEPENDS aimcsim
    COMMENT "Regenerating tests/golden/quickstart_expected.json"
    VERBATIM)
endif()
