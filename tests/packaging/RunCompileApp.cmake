# Kiln::compiler from the installed package: the example compiles the demo model
# through kiln/compiler/Compiler.h to the same bytes as the installed kiln-compile,
# then runs it with Kiln::runtime.
include(${CMAKE_CURRENT_LIST_DIR}/Common.cmake)
set(source ${WORK}/demo-linear.mlir)
kiln_run(${PREFIX}/bin/kiln-compile --model=demo-linear --emit=kiln -o ${source})
kiln_run(${COMPILE_APP} ${source} qp8_f32_qb4w ${WORK}/compile-app.vgf)
kiln_run(${PREFIX}/bin/kiln-compile ${source} --scheme=qp8_f32_qb4w -o ${WORK}/compile-tool.vgf)
kiln_run(${CMAKE_COMMAND} -E compare_files ${WORK}/compile-app.vgf ${WORK}/compile-tool.vgf)
