package dev.conduit

/** A scheduled or registered action that can be called off, like Go's `Timer.Stop`. */
public fun interface Stoppable {
    /**
     * Calls the action off. Never blocks.
     *
     * @return `true` if this call stopped the action from running, `false` if it had already
     *   run, started, or been stopped.
     */
    public fun stop(): Boolean
}
