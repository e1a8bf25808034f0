package dev.conduit.supervisor

/**
 * Which children a [Supervisor] restarts when one of them has to be restarted: Erlang/OTP's
 * strategies. Children are always started in spec order and stopped in reverse order; children
 * that had already ended for good ([RestartType.TRANSIENT] after a return,
 * [RestartType.TEMPORARY]) stay ended.
 */
public enum class RestartStrategy {
    /** Only the child that ended is restarted: children independent of each other. */
    ONE_FOR_ONE,

    /** Every other child is stopped (in reverse order), then all are started again in order: children that only work together. */
    ONE_FOR_ALL,

    /**
     * The children started after the one that ended are stopped (in reverse order), then it
     * and they are started again in order: each child depends on the ones before it.
     */
    REST_FOR_ONE,

    /**
     * A dynamic supervisor: no children at first, each started at run time from one
     * [ChildTemplate] by [Supervisor.startChild] and restarted on its own, as [ONE_FOR_ONE];
     * a child that ends for good is removed.
     */
    SIMPLE_ONE_FOR_ONE,
}
