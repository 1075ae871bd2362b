# Devicetree step: C preprocessor over the board .dts and the overlays, dtc (syntax check and
# DTB), then gale-dts (bindings, validation, generated header, final gale.dts, edt.json for
# Kconfig, dts.cmake for the build). See sdk/devicetree/README.md.
include_guard(GLOBAL)

set(BOARD_DTS ${BOARD_DIR}/${BOARD}.dts)
if(NOT EXISTS ${BOARD_DTS})
  message(FATAL_ERROR "Board ${BOARD} has no devicetree ${BOARD_DTS}")
endif()

# Overlays, in the order they apply. DTC_OVERLAY_FILE replaces the application's defaults;
# EXTRA_DTC_OVERLAY_FILE adds to whatever is chosen. Relative names are relative to the app.
if(NOT DEFINED DTC_OVERLAY_FILE AND DEFINED ENV{DTC_OVERLAY_FILE})
  set(DTC_OVERLAY_FILE $ENV{DTC_OVERLAY_FILE})
endif()
set(_overlays)
if(DTC_OVERLAY_FILE)
  string(REPLACE " " ";" _overlays "${DTC_OVERLAY_FILE}")
else()
  foreach(candidate boards/${BOARD}.overlay app.overlay)
    if(EXISTS ${APPLICATION_SOURCE_DIR}/${candidate})
      list(APPEND _overlays ${APPLICATION_SOURCE_DIR}/${candidate})
    endif()
  endforeach()
endif()
if(EXTRA_DTC_OVERLAY_FILE)
  string(REPLACE " " ";" _extra "${EXTRA_DTC_OVERLAY_FILE}")
  list(APPEND _overlays ${_extra})
endif()
gale_resolve_inputs(GALE_DTS_OVERLAYS
  "Devicetree overlay (DTC_OVERLAY_FILE / EXTRA_DTC_OVERLAY_FILE)" ${_overlays})

# Folders holding dts/ includes and bindings: the application's own, DTS_ROOT, the Gale tree.
set(_dts_roots ${APPLICATION_SOURCE_DIR} ${DTS_ROOT} ${GALE_BASE})
list(REMOVE_DUPLICATES _dts_roots)
set(_dts_includes)
set(_binding_args)
set(_binding_dirs)
foreach(root ${_dts_roots})
  foreach(sub dts dts/${ARCH} dts/common)
    if(IS_DIRECTORY ${root}/${sub})
      list(APPEND _dts_includes -I${root}/${sub})
    endif()
  endforeach()
  if(IS_DIRECTORY ${root}/include)
    list(APPEND _dts_includes -I${root}/include)
  endif()
  if(IS_DIRECTORY ${root}/dts/bindings)
    list(APPEND _binding_args --bindings-dir ${root}/dts/bindings)
    list(APPEND _binding_dirs ${root}/dts/bindings)
  endif()
endforeach()

set(_pre ${GALE_BINARY_DIR}/gale.dts.pre)
set(_dep ${GALE_BINARY_DIR}/gale.dts.d)
set(_includes -include ${BOARD_DTS})
foreach(overlay ${GALE_DTS_OVERLAYS})
  list(APPEND _includes -include ${overlay})
endforeach()
execute_process(
  COMMAND ${GALE_DTS_CPP} -E -x assembler-with-cpp -nostdinc -undef -D__DTS__
          -I${BOARD_DIR} -I${SOC_DIR} ${_dts_includes} ${_includes}
          -MD -MF ${_dep} -MT ${_pre} -o ${_pre} /dev/null
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Devicetree preprocessing failed:\n${err}")
endif()

execute_process(
  COMMAND ${DTC} -@ -Wno-unique_unit_address -Wno-unit_address_vs_reg -I dts -O dtb -b 0 -o ${GALE_BINARY_DIR}/gale.dtb ${_pre}
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Devicetree error (dtc):\n${err}")
elseif(err)
  message(WARNING "dtc:\n${err}")
endif()

execute_process(
  COMMAND ${GALE_DTS_TOOL} --dtb ${GALE_BINARY_DIR}/gale.dtb ${_binding_args}
          --header-out ${GALE_GENERATED_INCLUDE_DIR}/devicetree_generated.h
          --dts-out ${GALE_BINARY_DIR}/gale.dts
          --edt-out ${GALE_BINARY_DIR}/edt.json
          --cmake-out ${GALE_BINARY_DIR}/dts.cmake
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Devicetree error (gale-dts):\n${err}")
elseif(err)
  message(WARNING "gale-dts:\n${err}")
endif()
include(${GALE_BINARY_DIR}/dts.cmake)

# Re-run configure when any file the preprocessor read, or any binding, changes.
file(STRINGS ${_dep} _dep_lines)
set(GALE_DTS_CONFIGURE_DEPENDS)
foreach(line ${_dep_lines})
  string(REGEX REPLACE "^[^:]*: *" "" line "${line}")
  string(REPLACE "\\" "" line "${line}")
  separate_arguments(files UNIX_COMMAND "${line}")
  foreach(f ${files})
    if(NOT f STREQUAL "/dev/null")
      list(APPEND GALE_DTS_CONFIGURE_DEPENDS ${f})
    endif()
  endforeach()
endforeach()
foreach(dir ${_binding_dirs})
  file(GLOB_RECURSE _bindings ${dir}/*.yaml)
  list(APPEND GALE_DTS_CONFIGURE_DEPENDS ${_bindings})
endforeach()
set_property(DIRECTORY ${APPLICATION_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${GALE_DTS_CONFIGURE_DEPENDS} ${GALE_BOARD_CONFIGURE_DEPENDS})
