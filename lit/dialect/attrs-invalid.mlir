// Every attribute verifier rule (docs/dialect.md), one case per label.
// RUN: kiln-opt %s --split-input-file --verify-diagnostics

// expected-error @+1 {{expected no block size for scheme pf32, got 32 (scheme_c1)}}
func.func @scheme_c1() attributes {kiln.s = #kiln.scheme<pf32, block = 32>} { return }

// -----

// expected-error @+1 {{expected block size to be a positive multiple of 32, got 48 (scheme_c2)}}
func.func @scheme_c2() attributes {kiln.s = #kiln.scheme<qp8_f32_qb4w, block = 48>} { return }

// -----

// expected-error @+1 {{expected block size to be a positive multiple of 32, got 0 (scheme_c2)}}
func.func @scheme_c2_zero() attributes {kiln.s = #kiln.scheme<qp8_f32_qb4w, block = 0>} { return }

// -----

// expected-error @+1 {{unknown scheme 'int3', expected one of pf32, pf16, pqs8_qc8w, qp8_f32_qc8w, qp8_f32_qb4w}}
func.func @unknown_scheme() attributes {kiln.s = #kiln.scheme<int3>} { return }

// -----

// expected-error @+1 {{expected clamp min <= max, got min = 6.000000e+00 > max = 0.000000e+00 (clamp_c2)}}
func.func @clamp_c2() attributes {kiln.c = #kiln.clamp<min = 6.0, max = 0.0>} { return }

// -----

// NaN spelled as its f64 bit pattern.
// expected-error @+1 {{expected clamp bounds to be numbers, got NaN (clamp_c1)}}
func.func @clamp_c1() attributes {kiln.c = #kiln.clamp<min = 0x7FF8000000000000>} { return }

// -----

// expected-error @+1 {{expected scale to be a positive finite number, got -1.000000e+00 (quant_c1)}}
func.func @quant_c1() attributes {kiln.q = #kiln.quant<scale = -1.0, zero_point = 0>} { return }

// -----

// expected-error @+1 {{expected zero_point in [-128, 127], got -129 (quant_c2)}}
func.func @quant_c2() attributes {kiln.q = #kiln.quant<scale = 1.0, zero_point = -129>} { return }
