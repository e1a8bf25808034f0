package dev.conduit.ring

import java.nio.ByteBuffer
import java.nio.file.Path
import java.time.Duration
import kotlin.system.exitProcess

/**
 * The writer side of the two-process test, run in its own JVM: opens the channel file and writes
 * `count` 64-byte records, record i holding i and seven values derived from it.
 */
object IpcWriterProcess {
    const val RECORD_BYTES = 64

    /** The bytes of record [i]. */
    fun record(i: Long, into: ByteArray): ByteArray {
        val b = ByteBuffer.wrap(into)
        b.putLong(0, i)
        for (k in 1 until RECORD_BYTES / 8) b.putLong(k * 8, i * 31 + k)
        return into
    }

    @JvmStatic
    fun main(args: Array<String>) {
        val file = Path.of(args[0])
        val count = args[1].toLong()
        IpcChannel.open(file).use { ipc ->
            val writer = ipc.writer()
            val buffer = ByteArray(RECORD_BYTES)
            for (i in 0 until count) writer.write(record(i, buffer), Duration.ofSeconds(30))
        }
        exitProcess(0)
    }
}
