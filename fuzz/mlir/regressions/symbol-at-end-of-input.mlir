

func.func @linea