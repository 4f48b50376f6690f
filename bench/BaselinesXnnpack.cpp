// XNNPACK's operators as baselines (Debian's libxnnpack-dev, a 2022 snapshot): the
// fp32 and fp16 fully-connected operators, and the static per-channel int8 (qc8)
// convolution as a 1×1 over M pixels, which is pqs8_qc8w's GEMM. That snapshot has no
// dynamically quantized (qd8) or int4 GEMMs, so the qp8 schemes have no XNNPACK like.
// Every run does the same conversions Kiln's compiled models do around their GEMM
// (fp32 → fp16/int8 in, back to fp32 out), with XNNPACK's own convert operators.

#include "Baselines.h"
#include "Int8Weights.h"

#include "kiln/support/FloatFormat.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace kiln::bench {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

struct OperatorDeleter {
  void operator()(xnn_operator_t op) const { xnn_delete_operator(op); }
};
using Operator = std::unique_ptr<xnn_operator, OperatorDeleter>;
struct PoolDeleter {
  void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
};
using Pool = std::unique_ptr<pthreadpool, PoolDeleter>;

Status check(xnn_status status, const char *what) {
  if (status == xnn_status_success)
    return Status::ok();
  if (status == xnn_status_unsupported_hardware)
    return Status(StatusCode::Unsupported, std::string("XNNPACK: ") + what +
                                               ": not supported on this CPU");
  return internalError(std::string("XNNPACK: ") + what + " failed (xnn_status " +
                       std::to_string(int(status)) + ")");
}

/// Holds XNNPACK's initialization (reference-counted by the library) and a thread
/// pool of the baselines' thread count; runs a fixed sequence of set-up operators.
class XnnpackGemm : public BaselineGemm {
public:
  Status init() {
    KILN_RETURN_IF_ERROR(check(xnn_initialize(nullptr), "xnn_initialize"));
    initialized_ = true;
    pool_.reset(pthreadpool_create(baselineThreads()));
    return Status::ok();
  }
  ~XnnpackGemm() override {
    ops_.clear();
    if (initialized_)
      xnn_deinitialize();
  }
  Status run() override {
    for (const Operator &op : ops_)
      KILN_RETURN_IF_ERROR(check(xnn_run_operator(op.get(), pool_.get()), "xnn_run_operator"));
    return Status::ok();
  }
  uint64_t weightBytes() const override { return weightBytes_; }

protected:
  /// Appends the operator that `created` (a create call) wrote to `op`; taken by
  /// reference, so it is read after the call whatever the argument order.
  Status add(xnn_status created, xnn_operator_t &op, const char *what) {
    KILN_RETURN_IF_ERROR(check(created, what));
    ops_.emplace_back(op);
    return Status::ok();
  }
  pthreadpool_t pool() const { return pool_.get(); }
  xnn_operator_t last() const { return ops_.back().get(); }

  uint64_t weightBytes_ = 0;

private:
  bool initialized_ = false;
  Pool pool_;
  std::vector<Operator> ops_;
};

class XnnpackF32 : public XnnpackGemm {
public:
  Status create(const GemmProblem &p) {
    y_.resize(size_t(p.m * p.n));
    weightBytes_ = uint64_t(p.n * p.k) * 4;
    xnn_operator_t op = nullptr;
    KILN_RETURN_IF_ERROR(add(xnn_create_fully_connected_nc_f32(
                                 size_t(p.k), size_t(p.n), size_t(p.k), size_t(p.n),
                                 p.weights.data(), p.bias.data(), -kInf, kInf, 0, &op),
                             op, "fully_connected_nc_f32"));
    return check(xnn_setup_fully_connected_nc_f32(last(), size_t(p.m), p.x.data(), y_.data(),
                                                  pool()),
                 "setup fully_connected_nc_f32");
  }
  const std::vector<float> &output() const { return y_; }

private:
  std::vector<float> y_;
};

class XnnpackF16 : public XnnpackGemm {
public:
  Status create(const GemmProblem &p) {
    const size_t m = size_t(p.m), n = size_t(p.n), k = size_t(p.k);
    weights_.resize(n * k);
    for (size_t i = 0; i < weights_.size(); ++i)
      weights_[i] = uint16_t(encodeFloat(p.weights[i], kFp16));
    bias_.resize(n);
    for (size_t i = 0; i < n; ++i)
      bias_[i] = uint16_t(encodeFloat(p.bias[i], kFp16));
    xh_.resize(m * k);
    yh_.resize(m * n);
    y_.resize(m * n);
    weightBytes_ = uint64_t(n * k) * 2;
    xnn_operator_t op = nullptr;
    KILN_RETURN_IF_ERROR(add(xnn_create_convert_nc_f32_f16(k, k, k, 0, &op), op,
                             "convert_nc_f32_f16"));
    KILN_RETURN_IF_ERROR(check(xnn_setup_convert_nc_f32_f16(last(), m, p.x.data(), xh_.data(),
                                                            pool()),
                               "setup convert_nc_f32_f16"));
    KILN_RETURN_IF_ERROR(add(xnn_create_fully_connected_nc_f16(k, n, k, n, weights_.data(),
                                                               bias_.data(), -kInf, kInf, 0, &op),
                             op, "fully_connected_nc_f16"));
    KILN_RETURN_IF_ERROR(check(xnn_setup_fully_connected_nc_f16(last(), m, xh_.data(),
                                                                yh_.data(), pool()),
                               "setup fully_connected_nc_f16"));
    KILN_RETURN_IF_ERROR(add(xnn_create_convert_nc_f16_f32(n, n, n, 0, &op), op,
                             "convert_nc_f16_f32"));
    return check(xnn_setup_convert_nc_f16_f32(last(), m, yh_.data(), y_.data(), pool()),
                 "setup convert_nc_f16_f32");
  }

private:
  std::vector<uint16_t> weights_, bias_, xh_, yh_;
  std::vector<float> y_;
};

/// numerics.md's static per-tensor asymmetric int8 parameters of the values in [lo, hi].
struct StaticQuant {
  float scale;
  int8_t zeroPoint;
};
StaticQuant staticQuant(float lo, float hi) {
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  float s = std::max((hi - lo) / 255.0f, std::numeric_limits<float>::epsilon());
  float zp = std::clamp(-128.0f - std::nearbyint(lo / s), -128.0f, 127.0f);
  return {s, int8_t(zp)};
}
StaticQuant staticQuant(const std::vector<float> &v) {
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return staticQuant(*lo, *hi);
}

class XnnpackQc8 : public XnnpackGemm {
public:
  /// `reference`: the fp32 outputs, which calibrate the output's scale and zero point
  /// the way the compiler's observer does on its calibration samples.
  Status create(const GemmProblem &p, const std::vector<float> &reference) {
    const size_t m = size_t(p.m), n = size_t(p.n), k = size_t(p.k);
    const Int8Weights w(p);
    const StaticQuant in = staticQuant(p.x), out = staticQuant(reference);
    std::vector<int32_t> bias(n);
    for (size_t c = 0; c < n; ++c)
      bias[c] = int32_t(std::nearbyint(p.bias[c] / (in.scale * w.scales[c])));
    xq_.resize(m * k);
    yq_.resize(m * n);
    y_.resize(m * n);
    weightBytes_ = uint64_t(n * k);
    xnn_operator_t op = nullptr;
    KILN_RETURN_IF_ERROR(add(xnn_create_convert_nc_f32_qs8(k, k, k, 1.0f / in.scale, in.zeroPoint,
                                                           -128, 127, 0, &op),
                             op, "convert_nc_f32_qs8"));
    KILN_RETURN_IF_ERROR(check(xnn_setup_convert_nc_f32_qs8(last(), m, p.x.data(), xq_.data(),
                                                            pool()),
                               "setup convert_nc_f32_qs8"));
    // A 1×1 convolution over a 1×M image: y[M,N] = x[M,K] · W[N,K]ᵀ with per-channel
    // weight scales (XNNPACK's fully-connected operator is per-tensor only).
    KILN_RETURN_IF_ERROR(add(xnn_create_convolution2d_nhwc_qc8(
                                 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, k, n, k, n, in.zeroPoint,
                                 in.scale, w.scales.data(), w.q.data(), bias.data(),
                                 out.zeroPoint, out.scale, -128, 127, 0, &op),
                             op, "convolution2d_nhwc_qc8"));
    KILN_RETURN_IF_ERROR(check(xnn_setup_convolution2d_nhwc_qc8(last(), 1, 1, m, xq_.data(),
                                                                yq_.data(), pool()),
                               "setup convolution2d_nhwc_qc8"));
    KILN_RETURN_IF_ERROR(add(xnn_create_convert_nc_qs8_f32(n, n, n, out.scale, out.zeroPoint, 0,
                                                           &op),
                             op, "convert_nc_qs8_f32"));
    return check(xnn_setup_convert_nc_qs8_f32(last(), m, yq_.data(), y_.data(), pool()),
                 "setup convert_nc_qs8_f32");
  }

private:
  std::vector<int8_t> xq_, yq_;
  std::vector<float> y_;
};

template <typename T, typename... Args>
Expected<std::unique_ptr<BaselineGemm>> make(const GemmProblem &p, Args &&...args) {
  auto gemm = std::make_unique<T>();
  KILN_RETURN_IF_ERROR(gemm->init());
  KILN_RETURN_IF_ERROR(gemm->create(p, std::forward<Args>(args)...));
  return std::unique_ptr<BaselineGemm>(std::move(gemm));
}

} // namespace

// XNNPACK has no version query; CMake reads the Debian package's version.
std::string xnnpackVersion() { return "XNNPACK " KILN_XNNPACK_VERSION; }

Expected<std::unique_ptr<BaselineGemm>> makeXnnpackF32(const GemmProblem &p) {
  return make<XnnpackF32>(p);
}

Expected<std::unique_ptr<BaselineGemm>> makeXnnpackF16(const GemmProblem &p) {
  return make<XnnpackF16>(p);
}

Expected<std::unique_ptr<BaselineGemm>> makeXnnpackQc8(const GemmProblem &p) {
  // The fp32 outputs calibrate the output quantization, once.
  auto f32 = std::make_unique<XnnpackF32>();
  KILN_RETURN_IF_ERROR(f32->init());
  KILN_RETURN_IF_ERROR(f32->create(p));
  KILN_RETURN_IF_ERROR(f32->run());
  return make<XnnpackQc8>(p, f32->output());
}

} // namespace kiln::bench
