package dev.conduit.net

import com.google.protobuf.MessageLite
import io.vertx.core.Context
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicBoolean

/**
 * The frames one side of a stream has to send, from any thread, written on the stream's Vert.x
 * [context] in the order they were offered, as few batches (gRPC messages) as fit in
 * [maxBytes] each: every frame offered while a write is scheduled joins the same batch, which is
 * what makes many small sends cheap on the wire. Never blocks. A stream Vert.x already closed
 * drops what is left, as [close] does.
 */
internal class Outbox<F : MessageLite>(
    private val context: Context,
    private val maxBytes: Int,
    private val write: (List<F>) -> Unit,
) : FrameSink<F> {
    private val queue = ConcurrentLinkedQueue<F>()
    private val scheduled = AtomicBoolean()

    @Volatile
    private var closed = false

    /** Queues [frame] for the next batch; dropped once the stream is [close]d. */
    override fun offer(frame: F) {
        if (closed) return
        queue.add(frame)
        if (scheduled.compareAndSet(false, true)) context.runOnContext { flush() }
    }

    /** Drops what is queued and every later frame: the stream is gone. */
    fun close() {
        closed = true
        queue.clear()
    }

    private fun flush() {
        scheduled.set(false)
        while (!closed) {
            val batch = ArrayList<F>()
            var bytes = 0
            while (true) {
                val f = queue.peek() ?: break
                val size = f.serializedSize + FRAME_OVERHEAD
                if (batch.isNotEmpty() && bytes + size > maxBytes) break
                queue.poll()
                batch += f
                bytes += size
            }
            if (batch.isEmpty()) return
            try {
                write(batch)
            } catch (e: IllegalStateException) {
                // Vert.x closed the stream (reset, connection gone) before its owner heard of it:
                // the frames die with it, as they would on the wire; its end handlers say so.
                close()
                return
            }
        }
    }

    companion object {
        /** A repeated field's tag and length prefix around each frame, at most. */
        const val FRAME_OVERHEAD = 6
    }
}
