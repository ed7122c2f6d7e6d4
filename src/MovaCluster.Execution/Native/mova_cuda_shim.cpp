// The CUDA controls TorchSharp 0.107 does not expose (the calling thread's device, the caching allocator's
// statistics and empty_cache), as a tiny C library over libtorch's own c10::cuda API. Built against the same
// libtorch as libLibTorchSharp.so (load-tests/gpu-kit/run-on-gpu.sh builds both); CudaShim.cs loads it when present.
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <string>

namespace {
thread_local std::string last_error;

template <typename F>
int guarded(F&& body) {
    try {
        body();
        last_error.clear();
        return 0;
    } catch (const std::exception& failure) {
        last_error = failure.what();
    } catch (...) {
        last_error = "unknown C++ exception";
    }
    return -1;
}
}  // namespace

extern "C" {

__attribute__((visibility("default"))) const char* mova_cuda_last_error() {
    return last_error.c_str();
}

__attribute__((visibility("default"))) int mova_cuda_device_count(int32_t* count) {
    return guarded([&] { *count = static_cast<int32_t>(c10::cuda::device_count()); });
}

// Makes `index` the calling thread's current CUDA device (cudaSetDevice semantics: per thread).
__attribute__((visibility("default"))) int mova_cuda_set_device(int32_t index) {
    return guarded([&] { c10::cuda::set_device(static_cast<c10::DeviceIndex>(index)); });
}

__attribute__((visibility("default"))) int mova_cuda_current_device(int32_t* index) {
    return guarded([&] { *index = static_cast<int32_t>(c10::cuda::current_device()); });
}

// Bytes held by live tensors and by the caching allocator (reserved), now and at their peaks since the last reset.
__attribute__((visibility("default"))) int mova_cuda_memory_stats(
    int32_t index, int64_t* allocated, int64_t* peak_allocated, int64_t* reserved, int64_t* peak_reserved) {
    return guarded([&] {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(index));
        // Index 0 is the aggregate over small and large pools in every libtorch version that has these stats.
        *allocated = stats.allocated_bytes[0].current;
        *peak_allocated = stats.allocated_bytes[0].peak;
        *reserved = stats.reserved_bytes[0].current;
        *peak_reserved = stats.reserved_bytes[0].peak;
    });
}

__attribute__((visibility("default"))) int mova_cuda_reset_peak(int32_t index) {
    return guarded([&] { c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(index)); });
}

// Returns cached, unused blocks of every device to the driver (torch.cuda.empty_cache()).
__attribute__((visibility("default"))) int mova_cuda_empty_cache() {
    return guarded([] { c10::cuda::CUDACachingAllocator::emptyCache(); });
}

}  // extern "C"
