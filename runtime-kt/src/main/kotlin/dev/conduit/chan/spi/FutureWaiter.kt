package dev.conduit.chan.spi

/**
 * A waiter that is a pending [OperationFuture]: a claim completes [future] (after the lock is
 * released) with what [complete] makes of the decision. Ending the future (or a stage derived
 * from it) from outside withdraws the waiter first, so it ends as asked only if the operation
 * did not and will not happen; once it is claimed, the future completes with the result.
 */
internal class FutureWaiter<R>(
    source: ChannelLock?,
    send: Boolean,
    element: Any?,
    /** How to withdraw it from every queue it is in. */
    private val registration: Registration,
    private val complete: (FutureWaiter<R>, OperationFuture<R>) -> Unit,
) : Waiter(source, send, element) {
    val future: OperationFuture<R> = OperationFuture { registration.withdraw(this, CANCELLED) }

    override fun commit(claimed: WaitEntry): Int = WAKE

    override fun wake() {
        complete(this, future)
    }

    override fun withdrawn() {
        complete(this, future)
    }
}
