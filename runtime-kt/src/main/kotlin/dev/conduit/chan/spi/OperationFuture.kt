package dev.conduit.chan.spi

import java.util.Objects
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.function.Supplier

/**
 * The future of one pending operation (a channel receive or send, a select, an acquire, a
 * bridged suspending call), and of every stage derived from it, that nobody but the operation
 * can complete while the operation may still happen. Every way a `CompletableFuture` can be
 * ended from outside goes through [Withdrawal.withdraw] first and succeeds only if the
 * withdrawal won, that is, only if the operation did not and will not happen:
 *
 * - `cancel`, `complete`, `completeExceptionally`, and so `orTimeout`, `completeOnTimeout` and
 *   `completeAsync` (which end a future through those): if the withdrawal won, the future ends
 *   as asked; if it lost (the operation happened, or is being completed right now), the call
 *   returns `false` and the future completes with the operation's result, so no value is taken
 *   (or sent, or granted) for a future that reports something else;
 * - `obtrudeValue` and `obtrudeException` throw [UnsupportedOperationException], on it and on
 *   every stage derived from it: forcing a result could hide one the operation has produced;
 * - a stage derived from it (`thenApply`, `copy`, `whenComplete`, … and their dependents: every
 *   stage made by [newIncompleteFuture]) ended from outside while the operation is pending
 *   withdraws the operation the same way, and if that won, ends as asked while the operation's
 *   own future is cancelled (so every other stage derived from it fails with a
 *   `CancellationException`). Once the operation's own future is done, its derived stages are
 *   ordinary `CompletableFuture`s: the operation's result was delivered, what follows is the
 *   caller's code.
 *
 * The operation completes it with [completeByOperation] or [failByOperation]. Never blocks.
 */
public class OperationFuture<R> private constructor(
    private val operation: Withdrawal,
    /** The operation's own future, for a derived stage; `null` for that future itself. */
    private val root: OperationFuture<*>?,
) : CompletableFuture<R>() {
    /** How to withdraw the operation a future stands for. */
    public fun interface Withdrawal {
        /**
         * Withdraws the operation if it is still pending: `true` if it did not and will not
         * happen (then nothing but the caller completes the future), `false` if it happened or
         * is being completed now (its result is on its way). At most one call returns `true`,
         * and never once the operation has won. Must not block.
         */
        public fun withdraw(): Boolean
    }

    /** The future of an operation that [operation] withdraws. */
    public constructor(operation: Withdrawal) : this(operation, null)

    /**
     * Completes the future with the operation's [value]; for the operation only. Never blocks.
     *
     * @return whether this call completed it.
     */
    public fun completeByOperation(value: R): Boolean = super.complete(value)

    /**
     * Completes the future with the operation's [failure]; for the operation only. Never blocks.
     *
     * @return whether this call completed it.
     */
    public fun failByOperation(failure: Throwable): Boolean = super.completeExceptionally(failure)

    /** Cancels the future once its operation is withdrawn, bypassing [cancel]'s withdrawal. */
    private fun cancelWithdrawn() {
        super.cancel(false)
    }

    override fun cancel(mayInterruptIfRunning: Boolean): Boolean =
        mayEnd() && super.cancel(mayInterruptIfRunning).also { root?.cancelWithdrawn() }

    override fun complete(value: R): Boolean = mayEnd() && super.complete(value).also { root?.cancelWithdrawn() }

    override fun completeExceptionally(ex: Throwable): Boolean {
        Objects.requireNonNull(ex, "ex")
        return mayEnd() && super.completeExceptionally(ex).also { root?.cancelWithdrawn() }
    }

    /**
     * Completes it on [executor] with what [supplier] returns (or throws), through [complete]:
     * so only if the operation can still be withdrawn. Never blocks.
     */
    override fun completeAsync(supplier: Supplier<out R>, executor: Executor): CompletableFuture<R> {
        Objects.requireNonNull(supplier, "supplier")
        Objects.requireNonNull(executor, "executor")
        executor.execute {
            try {
                complete(supplier.get())
            } catch (e: Throwable) {
                completeExceptionally(e)
            }
        }
        return this
    }

    /** Refused: see the class documentation. */
    override fun obtrudeValue(value: R) {
        throw obtrudeRefused()
    }

    /** Refused: see the class documentation. */
    override fun obtrudeException(ex: Throwable) {
        throw obtrudeRefused()
    }

    private fun obtrudeRefused() =
        UnsupportedOperationException("the future of a channel operation or acquire cannot be overwritten: it could hide the operation's result")

    /** A derived stage: ended from outside, it withdraws the same operation. */
    override fun <U> newIncompleteFuture(): CompletableFuture<U> = OperationFuture(operation, root ?: this)

    /**
     * Whether an end from outside may go ahead: this future is pending and either its
     * operation is withdrawn now or (for a derived stage) the operation's own future is done.
     * Once this returns `true` for a derived stage, the caller ends it and then cancels the
     * operation's own future (a no-op if it is done).
     */
    private fun mayEnd(): Boolean {
        if (isDone) return false
        val own = root
        if (own != null && own.isDone) return true
        return operation.withdraw()
    }
}

/** A future already completed with [map] of [r], or failed with what [map] throws. */
internal fun <R> completedWith(map: (Any?) -> R, r: Any?): CompletableFuture<R> =
    try {
        CompletableFuture.completedFuture(map(r))
    } catch (e: Throwable) {
        CompletableFuture.failedFuture(e)
    }

/** Completes this operation's future with [map] of [r], or with what [map] throws. */
internal fun <R> OperationFuture<R>.completeWith(map: (Any?) -> R, r: Any?) {
    try {
        completeByOperation(map(r))
    } catch (e: Throwable) {
        failByOperation(e)
    }
}
