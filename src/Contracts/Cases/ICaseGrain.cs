namespace Ripcord.Contracts.Cases;

/// <summary>A case (key: <c>GrainKeys.Case(caseId)</c>). Every command is durable when its reply arrives.</summary>
[Alias("ripcord.case-grain")]
public interface ICaseGrain : IDurableGrain
{
    [Alias("start")]
    Task<StartCaseResult> Start(StartCase command);

    [Alias("cancel")]
    Task<CancelCaseResult> Cancel(CancelCase command);

    [Alias("confirm-cancel")]
    Task<CancelCaseResult> ConfirmCancel(ConfirmCancel command);

    [Alias("override-cancel")]
    Task<CancelCaseResult> OverrideCancel(OverrideCancel command);

    [Alias("cancel-activity")]
    Task<CancelActivityResult> CancelActivity(CancelActivity command);

    [Alias("rate")]
    Task<RateOutputResult> Rate(RateOutput command);

    [Alias("purge")]
    Task<PurgeCaseResult> Purge(PurgeCase command);

    /// <summary>The case as the API shows it (its tasks, resources and up to <paramref name="maxHistory"/> history events); null when it was never started.</summary>
    [Alias("get-view")]
    [ReadOnly]
    Task<CaseView?> GetView(int maxHistory);
}
