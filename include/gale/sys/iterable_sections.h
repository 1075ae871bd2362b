/*
 * Iterable sections: objects defined in any translation unit, gathered by the linker into one
 * array sorted by name. A section for a type is declared once in CMake with
 * gale_iterable_section(NAME type); see sdk/cmake/modules/gale_extensions.cmake.
 */
#ifndef GALE_SYS_ITERABLE_SECTIONS_H_
#define GALE_SYS_ITERABLE_SECTIONS_H_

#include <gale/toolchain.h>

/* Every element is aligned to its type, never more: a larger alignment chosen by the compiler
 * would leave holes in the array the linker builds. */
#define Z_DECL_ALIGN(type) __aligned(__alignof(type)) type

/** Define @p varname of type `struct struct_type` in the iterable section of that type. */
#define STRUCT_SECTION_ITERABLE(struct_type, varname) \
  Z_DECL_ALIGN(struct struct_type)                    \
  varname __attribute__((__section__("._" STRINGIFY(struct_type) ".static." STRINGIFY(varname)))) __used

/** As STRUCT_SECTION_ITERABLE, with an explicit sort key for the element's position. */
#define STRUCT_SECTION_ITERABLE_NAMED(struct_type, name, varname) \
  Z_DECL_ALIGN(struct struct_type)                                \
  varname __attribute__((__section__("._" STRINGIFY(struct_type) ".static." STRINGIFY(name)))) __used

#define TYPE_SECTION_START(secname) _CONCAT(_##secname, _list_start)
#define TYPE_SECTION_END(secname) _CONCAT(_##secname, _list_end)
#define STRUCT_SECTION_START(struct_type) TYPE_SECTION_START(struct_type)
#define STRUCT_SECTION_END(struct_type) TYPE_SECTION_END(struct_type)
#define STRUCT_SECTION_START_EXTERN(struct_type) \
  extern struct struct_type STRUCT_SECTION_START(struct_type)[]
#define STRUCT_SECTION_END_EXTERN(struct_type) \
  extern struct struct_type STRUCT_SECTION_END(struct_type)[]

/** Iterate over every element of the iterable section of `struct struct_type`. */
#define STRUCT_SECTION_FOREACH(struct_type, iterator)                    \
  STRUCT_SECTION_START_EXTERN(struct_type);                              \
  STRUCT_SECTION_END_EXTERN(struct_type);                                \
  for (struct struct_type *iterator = STRUCT_SECTION_START(struct_type); \
       iterator < STRUCT_SECTION_END(struct_type); iterator++)

/** Number of elements in the iterable section of `struct struct_type`, stored in @p dst. */
#define STRUCT_SECTION_COUNT(struct_type, dst)                                      \
  do {                                                                              \
    STRUCT_SECTION_START_EXTERN(struct_type);                                       \
    STRUCT_SECTION_END_EXTERN(struct_type);                                         \
    *(dst) = (STRUCT_SECTION_END(struct_type) - STRUCT_SECTION_START(struct_type)); \
  } while (0)

/** Element @p i of the iterable section of `struct struct_type`, stored in @p dst. */
#define STRUCT_SECTION_GET(struct_type, i, dst)     \
  do {                                              \
    STRUCT_SECTION_START_EXTERN(struct_type);       \
    *(dst) = &STRUCT_SECTION_START(struct_type)[i]; \
  } while (0)

#endif /* GALE_SYS_ITERABLE_SECTIONS_H_ */
