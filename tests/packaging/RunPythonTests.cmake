# The kiln Python package's pytest suite, imported from the install prefix with the
# installed kiln-compile first on PATH: what a user of the installed package gets.
include(${CMAKE_CURRENT_LIST_DIR}/Common.cmake)
kiln_run(${CMAKE_COMMAND} -E env PYTHONPATH=${PREFIX}/${PYTHON_DIR}
         "PATH=${PREFIX}/bin:$ENV{PATH}" --unset=KILN_COMPILE
         ${PYTHON} -m pytest -q -p no:cacheprovider ${TESTS})
