using MovaCluster.Model.Planning;
using MovaCluster.Model.Planning.Simulation;

/// <summary>One cell of the grid: a workload on N GPUs of one memory tier.</summary>
internal sealed record CapacityRow(
    string Workload,
    int Gpus,
    int MemoryGb,
    PlanPrediction? Best,
    SimulationResult? Simulated,
    PlanPrediction? Fastest,
    SimulationResult? FastestSimulated,
    int FittingPlans,
    double WorstCandidateError,
    string? Rejection);
