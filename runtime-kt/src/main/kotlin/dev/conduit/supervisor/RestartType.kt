package dev.conduit.supervisor

/**
 * When a [Supervisor] restarts a child that ended on its own: Erlang/OTP's restart types (the
 * `RestartAlways` / `RestartOnFailure` / `RestartNever` of other libraries). A child the
 * supervisor stopped itself is restarted only as part of a restart ([RestartStrategy]) it decided.
 */
public enum class RestartType {
    /** Always restarted, whether [SupervisedChild.run] returned or threw: a service that must stay up. */
    PERMANENT,

    /** Restarted only if [SupervisedChild.run] threw (or the child was found unhealthy); a return ends it for good. */
    TRANSIENT,

    /** Never restarted: when it ends, however it ends, it stays ended (a failure is reported, and restarts nothing). */
    TEMPORARY,
}
