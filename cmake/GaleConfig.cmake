# The Gale CMake package: `find_package(Gale REQUIRED HINTS $ENV{GALE_BASE})` in an application's
# CMakeLists.txt, before project(), lands here. It configures the board's toolchain, runs the
# devicetree and Kconfig steps and creates the `app` library the application adds sources to.
get_filename_component(GALE_BASE "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
include(${GALE_BASE}/sdk/cmake/gale.cmake)
