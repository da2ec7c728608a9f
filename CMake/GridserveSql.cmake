# gridserve_embed_sql(<target> NAMESPACE <c++ namespace> DIR <folder with migrations/ and queries/>)
#
# Embeds a service's .sql files into a static library <target> with a header
# "<target>.h" declaring, in the given namespace:
#   std::span<const gridserve::SqlFile> Migrations();  // sql/migrations/NNNN_*.sql, in order
#   std::span<const gridserve::SqlFile> Queries();     // sql/queries/*.sql, by file stem
# The files are re-read whenever one of them changes.
set(GRIDSERVE_EMBED_SQL_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/embed_sql.cmake")

function(gridserve_embed_sql target)
  cmake_parse_arguments(ARG "" "NAMESPACE;DIR" "" ${ARGN})
  file(GLOB migrations CONFIGURE_DEPENDS "${ARG_DIR}/migrations/*.sql")
  file(GLOB queries CONFIGURE_DEPENDS "${ARG_DIR}/queries/*.sql")
  list(SORT migrations)
  list(SORT queries)
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_gen")
  set(out_cc "${out_dir}/${target}.cc")
  set(out_h "${out_dir}/${target}.h")
  string(REPLACE ";" "|" migrations_arg "${migrations}")
  string(REPLACE ";" "|" queries_arg "${queries}")
  add_custom_command(
    OUTPUT "${out_cc}" "${out_h}"
    COMMAND "${CMAKE_COMMAND}"
      "-DOUT_CC=${out_cc}" "-DOUT_H=${out_h}" "-DNAMESPACE=${ARG_NAMESPACE}"
      "-DMIGRATIONS=${migrations_arg}" "-DQUERIES=${queries_arg}"
      -P "${GRIDSERVE_EMBED_SQL_SCRIPT}"
    DEPENDS ${migrations} ${queries} "${GRIDSERVE_EMBED_SQL_SCRIPT}"
    COMMENT "embedding SQL for ${target}"
    VERBATIM)
  add_library(${target} STATIC "${out_cc}")
  target_include_directories(${target} PUBLIC "${out_dir}")
  target_link_libraries(${target} PUBLIC gridserve_embedded_sql)
endfunction()
