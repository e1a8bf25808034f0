package dev.conduit.chan.spi

import java.util.concurrent.CompletableFuture

/**
 * A waiter that is a pending [CompletableFuture]: a claim completes [future] (after the lock is
 * released) with what [complete] makes of the decision. Cancelling the future withdraws the
 * waiter first, so `cancel` returns `true` only if the operation did not and will not happen;
 * once it is claimed, `cancel` returns `false` and the future completes with the result.
 */
internal class FutureWaiter<R>(
    source: ChannelLock?,
    send: Boolean,
    element: Any?,
    /** How to withdraw it from every queue it is in. */
    private val registration: Registration,
    private val complete: (FutureWaiter<R>, CompletableFuture<R>) -> Unit,
) : Waiter(source, send, element) {
    val future: CompletableFuture<R> = WithdrawingFuture(this)

    override fun commit(claimed: WaitEntry): Int = WAKE

    override fun wake() {
        complete(this, future)
    }

    override fun withdrawn() {
        complete(this, future)
    }

    private class WithdrawingFuture<R>(private val w: FutureWaiter<R>) : CompletableFuture<R>() {
        override fun cancel(mayInterruptIfRunning: Boolean): Boolean {
            if (!w.registration.withdraw(w, CANCELLED)) return false
            return super.cancel(mayInterruptIfRunning)
        }
    }
}
