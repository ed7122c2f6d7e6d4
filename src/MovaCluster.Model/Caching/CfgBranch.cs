namespace MovaCluster.Model.Caching;

/// <summary>A CFG branch of a sampling step: the positive (prompt) pass or the negative (negative prompt) pass.</summary>
public enum CfgBranch
{
    Positive,
    Negative,
}
