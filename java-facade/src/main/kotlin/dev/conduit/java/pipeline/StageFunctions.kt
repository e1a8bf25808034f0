package dev.conduit.java.pipeline

import dev.conduit.java.chan.SendChannel

/** A stage's transform for Java: may block and may throw. */
public fun interface StageFunction<T : Any, R> {
    /**
     * Turns one item into its result. Runs on a goroutine thread (virtual on JDK 21+), so it may
     * block; it is interrupted when the pipeline is cancelled.
     *
     * @throws Exception a failure of this item (see the stage or fan-out for what follows)
     */
    @Throws(Exception::class)
    public fun apply(item: T): R
}

/** A filter's test for Java: may block and may throw. */
public fun interface StagePredicate<T : Any> {
    /**
     * Whether [item] passes. Runs on a goroutine thread; may block.
     *
     * @throws Exception a failure of this item
     */
    @Throws(Exception::class)
    public fun test(item: T): Boolean
}

/** The body of a Java generator: sends items, blocking while the channel is full. */
public fun interface Generator<T : Any> {
    /**
     * Sends the items into [out]; the channel closes when this returns or throws. Runs on a
     * goroutine thread; interrupted when the pipeline is cancelled.
     *
     * @throws Exception a failure, which fails the pipeline
     */
    @Throws(Exception::class)
    public fun generate(out: SendChannel<T>)
}

/** The work of a Java consumer: may block and may throw. */
public fun interface ItemConsumer<T : Any> {
    /**
     * Handles one item, on a goroutine thread.
     *
     * @throws Exception a failure, which fails the pipeline
     */
    @Throws(Exception::class)
    public fun accept(item: T)
}

/** The work of a Java pool worker, told which worker it is: may block and may throw. */
public fun interface ItemHandler<T : Any> {
    /**
     * Handles one item, on a goroutine thread.
     *
     * @throws Exception a failure, which fails the pipeline
     */
    @Throws(Exception::class)
    public fun handle(worker: Int, item: T)
}
