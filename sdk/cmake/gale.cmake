# The Gale application build. Included by cmake/GaleConfig.cmake when an application calls
# find_package(Gale) before project(). Order matters: the board decides the toolchain, the
# devicetree feeds Kconfig, and both must be known before project() enables the languages.
include_guard(GLOBAL)
cmake_minimum_required(VERSION 3.20)

file(STRINGS ${GALE_BASE}/VERSION GALE_VERSION LIMIT_COUNT 1)
set(APPLICATION_SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR} CACHE INTERNAL "the application folder")
set(APPLICATION_BINARY_DIR ${CMAKE_CURRENT_BINARY_DIR} CACHE INTERNAL "the build folder")
set(GALE_BINARY_DIR ${APPLICATION_BINARY_DIR}/gale)
set(GALE_GENERATED_INCLUDE_DIR ${GALE_BINARY_DIR}/include/generated)
file(MAKE_DIRECTORY ${GALE_GENERATED_INCLUDE_DIR})
# Zephyr applications and scripts look for ZEPHYR_BASE; Gale answers to both names.
set(ZEPHYR_BASE ${GALE_BASE})
set(CMAKE_EXPORT_COMPILE_COMMANDS ON CACHE BOOL "Write compile_commands.json for IDEs")

list(APPEND CMAKE_MODULE_PATH ${GALE_BASE}/sdk/cmake/modules)
include(gale_extensions)
include(gale_host_tools)
include(gale_board)
include(gale_toolchain)
include(gale_dts)
include(gale_kconfig)

project(Gale-Kernel VERSION ${GALE_VERSION} LANGUAGES C CXX ASM)

include(gale_target)
