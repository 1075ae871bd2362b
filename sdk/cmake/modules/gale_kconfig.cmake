# Kconfig step: board defconfig + prj.conf + extra fragments -> .config, autoconf.h and
# config.json (for IDEs), through gale-kconfig. Outputs are rewritten only when their content
# changes, so an edit to prj.conf that changes nothing rebuilds nothing.
include_guard(GLOBAL)

set(BOARD_DEFCONFIG ${BOARD_DIR}/${BOARD}_defconfig)

# CONF_FILE replaces prj.conf (and its board variant); EXTRA_CONF_FILE (or the older
# OVERLAY_CONFIG) adds fragments after it. Lists may be separated by ';' or spaces.
foreach(var CONF_FILE EXTRA_CONF_FILE OVERLAY_CONFIG)
  if(NOT DEFINED ${var} AND DEFINED ENV{${var}})
    set(${var} $ENV{${var}})
  endif()
endforeach()
set(_fragments)
if(EXISTS ${BOARD_DEFCONFIG})
  list(APPEND _fragments ${BOARD_DEFCONFIG})
endif()
if(CONF_FILE)
  string(REPLACE " " ";" _conf "${CONF_FILE}")
  list(APPEND _fragments ${_conf})
else()
  foreach(candidate prj.conf boards/${BOARD}.conf)
    if(EXISTS ${APPLICATION_SOURCE_DIR}/${candidate})
      list(APPEND _fragments ${APPLICATION_SOURCE_DIR}/${candidate})
    endif()
  endforeach()
endif()
foreach(var EXTRA_CONF_FILE OVERLAY_CONFIG)
  if(${var})
    string(REPLACE " " ";" _extra "${${var}}")
    list(APPEND _fragments ${_extra})
  endif()
endforeach()
# The application's own overlay, which `gale config --set` writes: applied last, so it wins.
if(EXISTS ${APPLICATION_SOURCE_DIR}/gale.conf)
  list(APPEND _fragments ${APPLICATION_SOURCE_DIR}/gale.conf)
endif()
gale_resolve_inputs(GALE_KCONFIG_FRAGMENTS "Kconfig fragment (CONF_FILE / EXTRA_CONF_FILE)"
                    ${_fragments})
# Recorded for tools that explain where a value came from (gale config).
set(GALE_KCONFIG_FRAGMENT_LIST "${GALE_KCONFIG_FRAGMENTS}" CACHE INTERNAL
    "Kconfig fragments of the last configure, in the order applied")

if(EXISTS ${APPLICATION_SOURCE_DIR}/Kconfig)
  set(KCONFIG_ROOT ${APPLICATION_SOURCE_DIR}/Kconfig)
else()
  set(KCONFIG_ROOT ${GALE_BASE}/Kconfig)
endif()

# Kconfig files expand $(VAR) from the environment.
set(ENV{srctree} ${GALE_BASE})
set(ENV{GALE_BASE} ${GALE_BASE})
set(ENV{ZEPHYR_BASE} ${GALE_BASE})
set(ENV{ARCH} ${ARCH})
set(ENV{ARCH_DIR} ${GALE_BASE}/arch)
set(ENV{BOARD} ${BOARD})
set(ENV{BOARD_DIR} ${BOARD_DIR})
set(ENV{SOC} ${SOC})
set(ENV{SOC_DIR} ${SOC_DIR})
set(ENV{APPLICATION_SOURCE_DIR} ${APPLICATION_SOURCE_DIR})
set(ENV{KCONFIG_BINARY_DIR} ${GALE_BINARY_DIR})

set(DOTCONFIG ${GALE_BINARY_DIR}/.config)
execute_process(
  COMMAND ${GALE_KCONFIG_TOOL} --kconfig ${KCONFIG_ROOT} --srctree ${GALE_BASE}
          --dt-info ${GALE_BINARY_DIR}/edt.json
          --config-out ${DOTCONFIG}
          --header-out ${GALE_GENERATED_INCLUDE_DIR}/autoconf.h
          --json-out ${GALE_BINARY_DIR}/config.json
          --deps-out ${GALE_BINARY_DIR}/kconfig.deps
          ${GALE_KCONFIG_FRAGMENTS}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Kconfig failed (errors above)")
endif()
execute_process(
  COMMAND ${GALE_FIXDEP_TOOL} --update-stamps --autoconf ${GALE_GENERATED_INCLUDE_DIR}/autoconf.h
          --stamps ${GALE_KCONFIG_STAMP_DIR} --symbols ${GALE_BINARY_DIR}/config.json
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Updating the per-symbol Kconfig stamps failed (see above)")
endif()
gale_import_kconfig(${DOTCONFIG})

file(STRINGS ${GALE_BINARY_DIR}/kconfig.deps _kconfig_files)
set_property(DIRECTORY ${APPLICATION_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${_kconfig_files} ${GALE_KCONFIG_FRAGMENTS})
