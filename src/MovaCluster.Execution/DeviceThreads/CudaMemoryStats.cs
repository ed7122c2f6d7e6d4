namespace MovaCluster.Execution.DeviceThreads;

/// <summary>
/// The CUDA caching allocator's bytes on one device: held by live tensors (allocated) and held from the driver
/// (reserved: allocated plus cached free blocks), now and at their peaks since the last reset.
/// </summary>
public readonly record struct CudaMemoryStats(long Allocated, long PeakAllocated, long Reserved, long PeakReserved);
