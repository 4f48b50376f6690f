#include "Baselines.h"

#include "Compile.h"
#include "Int8Weights.h"

#include "kiln/cpu/LhsQuant.h"

#include <cblas.h>
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <algorithm>
#include <cmath>

namespace kiln::bench {

GemmProblem makeProblem(int64_t m, int64_t n, int64_t k, unsigned seed) {
  GemmProblem p;
  p.m = m;
  p.n = n;
  p.k = k;
  p.x = gaussian(size_t(m * k), seed);
  p.weights = gaussian(size_t(n * k), seed + 1);
  // nn.Linear's init scale, so outputs stay O(1) like the compiled models'.
  float scale = 1.0f / std::sqrt(float(k));
  for (float &w : p.weights)
    w *= scale;
  p.bias = gaussian(size_t(n), seed + 2);
  return p;
}

namespace {
unsigned threadCount = 1;
}

void setBaselineThreads(unsigned threads) {
  threadCount = threads;
  omp_set_num_threads(int(threads));
  openblas_set_num_threads(int(threads));
}

unsigned baselineThreads() { return threadCount; }

std::string oneDnnVersion() {
  const dnnl_version_t *v = dnnl_version();
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch) +
         (v->cpu_runtime == DNNL_RUNTIME_OMP ? " (OpenMP)" : " (non-OpenMP runtime)");
}

// openblas_get_config() already starts with "OpenBLAS <version>".
std::string openBlasVersion() { return openblas_get_config(); }

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;

/// A matmul primitive whose weights were reordered once into the layout it chose.
struct OneDnnMatmul {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  dnnl::matmul primitive;
  memory src, weights, bias, dst;

  OneDnnMatmul(const GemmProblem &p, Dt srcType, Dt weightType, Dt dstType, bool withBias,
               void *srcData, void *weightData /* [N,K] */, void *dstData) {
    memory::desc srcDesc({p.m, p.k}, srcType, Tag::ab);
    memory::desc weightsAny({p.k, p.n}, weightType, Tag::any);
    memory::desc biasDesc({1, p.n}, Dt::f32, Tag::ab);
    memory::desc dstDesc({p.m, p.n}, dstType, Tag::ab);
    dnnl::matmul::desc desc = withBias
                                  ? dnnl::matmul::desc(srcDesc, weightsAny, biasDesc, dstDesc)
                                  : dnnl::matmul::desc(srcDesc, weightsAny, dstDesc);
    dnnl::matmul::primitive_desc pd(desc, engine);
    primitive = dnnl::matmul(pd);
    src = memory(srcDesc, engine, srcData);
    dst = memory(dstDesc, engine, dstData);
    // W[N,K] row-major is the [K,N] matrix in `ba` order.
    memory user({{p.k, p.n}, weightType, Tag::ba}, engine, weightData);
    weights = memory(pd.weights_desc(), engine);
    dnnl::reorder(user, weights).execute(stream, user, weights);
    if (withBias)
      bias = memory(biasDesc, engine, const_cast<float *>(p.bias.data()));
    stream.wait();
  }

  Status run() {
    try {
      std::unordered_map<int, memory> args{
          {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}};
      if (bias)
        args.emplace(DNNL_ARG_BIAS, bias);
      primitive.execute(stream, args);
      stream.wait();
    } catch (const dnnl::error &e) {
      return internalError(std::string("oneDNN matmul: ") + e.what());
    }
    return Status::ok();
  }
};

class OneDnnF32 : public BaselineGemm {
public:
  explicit OneDnnF32(const GemmProblem &p)
      : y_(size_t(p.m * p.n)),
        matmul_(p, Dt::f32, Dt::f32, Dt::f32, true, const_cast<float *>(p.x.data()),
                const_cast<float *>(p.weights.data()), y_.data()),
        bytes_(uint64_t(p.n * p.k) * 4) {}
  Status run() override { return matmul_.run(); }
  uint64_t weightBytes() const override { return bytes_; }

private:
  std::vector<float> y_;
  OneDnnMatmul matmul_;
  uint64_t bytes_;
};

class OneDnnInt8 : public BaselineGemm {
public:
  explicit OneDnnInt8(const GemmProblem &p)
      : p_(p), w_(p), xq_(size_t(p.m * p.k)), xu_(size_t(p.m * p.k)), rowScales_(size_t(p.m)),
        rowZeros_(size_t(p.m)), acc_(size_t(p.m * p.n)), y_(size_t(p.m * p.n)),
        matmul_(p, Dt::u8, Dt::s8, Dt::s32, false, xu_.data(), w_.q.data(), acc_.data()) {}

  Status run() override {
    int64_t m = p_.m, n = p_.n, k = p_.k;
    cpu::kiln_lhs_quant_qai8dx_f32_avx2(size_t(m), size_t(k), p_.x.data(), xq_.data(),
                                        rowScales_.data(), rowZeros_.data());
    // u8 = x_q + 128, so acc = Σ(x_q + 128)·w and the zero point becomes 128 + zp.
    for (size_t i = 0; i < xq_.size(); ++i)
      xu_[i] = uint8_t(xq_[i] ^ 0x80);
    KILN_RETURN_IF_ERROR(matmul_.run());
    for (int64_t r = 0; r < m; ++r) {
      int32_t zero = 128 + rowZeros_[r];
      float sx = rowScales_[r];
      const int32_t *acc = &acc_[size_t(r * n)];
      float *y = &y_[size_t(r * n)];
      for (int64_t c = 0; c < n; ++c)
        y[c] = (float(acc[c] - zero * w_.sums[c]) * w_.scales[c]) * sx + p_.bias[c];
    }
    return Status::ok();
  }
  uint64_t weightBytes() const override { return uint64_t(p_.n * p_.k); }

private:
  const GemmProblem &p_;
  Int8Weights w_;
  std::vector<int8_t> xq_;
  std::vector<uint8_t> xu_;
  std::vector<float> rowScales_;
  std::vector<int32_t> rowZeros_, acc_;
  std::vector<float> y_;
  OneDnnMatmul matmul_;
};

class OpenBlasSgemm : public BaselineGemm {
public:
  explicit OpenBlasSgemm(const GemmProblem &p) : p_(p), y_(size_t(p.m * p.n)) {}
  Status run() override {
    int m = int(p_.m), n = int(p_.n), k = int(p_.k);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, p_.x.data(), k,
                p_.weights.data(), k, 0.0f, y_.data(), n);
    for (int r = 0; r < m; ++r)
      for (int c = 0; c < n; ++c)
        y_[size_t(r * n + c)] += p_.bias[size_t(c)];
    return Status::ok();
  }
  uint64_t weightBytes() const override { return uint64_t(p_.n * p_.k) * 4; }

private:
  const GemmProblem &p_;
  std::vector<float> y_;
};

} // namespace

namespace {

/// Constructs `T`, turning oneDNN's exceptions (primitive creation, reorders) into a status.
template <typename T> Expected<std::unique_ptr<BaselineGemm>> make(const GemmProblem &p) {
  try {
    return std::unique_ptr<BaselineGemm>(std::make_unique<T>(p));
  } catch (const dnnl::error &e) {
    return internalError(std::string("oneDNN: ") + e.what());
  }
}

} // namespace

Expected<std::unique_ptr<BaselineGemm>> makeOneDnnF32(const GemmProblem &p) {
  return make<OneDnnF32>(p);
}
Expected<std::unique_ptr<BaselineGemm>> makeOneDnnInt8(const GemmProblem &p) {
  return make<OneDnnInt8>(p);
}
Expected<std::unique_ptr<BaselineGemm>> makeOpenBlasSgemm(const GemmProblem &p) {
  return make<OpenBlasSgemm>(p);
}

} // namespace kiln::bench
