# lit configuration of Kiln's FileCheck suite.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "lit")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.kiln_tools_dir, append_path=True)

tools = ["kiln-opt", "kiln-compile", "kiln-run", "kiln-vgf"]
llvm_config.add_tool_substitutions(
    [t for t in tools if os.path.exists(os.path.join(config.kiln_tools_dir, t))],
    [config.kiln_tools_dir])
