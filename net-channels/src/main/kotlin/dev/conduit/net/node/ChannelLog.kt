package dev.conduit.net.node

import java.io.DataInputStream
import java.io.EOFException
import java.net.URLDecoder
import java.net.URLEncoder
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.util.zip.CRC32

/**
 * A durable channel's append-only log: one file per channel under the node's data directory,
 * named for the channel. Records: the channel's capacity (first), a value accepted (its index,
 * producer, sequence number and bytes), a value delivered (its index, the session, handle and
 * producer of the attachment it went to, and the delivery number; written and forced before the
 * value leaves), a delivery put back (its index: released, or its session ended), a value taken
 * (its index, once a receiver acknowledged it), a producer's last sequence number (kept by
 * compaction for producers with no value left).
 * Each record carries a CRC-32; replay stops at the first torn or corrupt record (what a
 * `kill -9` during a write leaves) and the file is cut there.
 *
 * Not thread-safe: its channel calls it with its lock held.
 */
internal class ChannelLog private constructor(private val path: Path, private val file: FileChannel) {
    private val header = ByteBuffer.allocate(HEADER)

    fun appendAccept(index: Long, producer: String, seq: Long, bytes: ByteArray) {
        val p = producer.toByteArray(Charsets.UTF_8)
        val body = ByteBuffer.allocate(8 + 4 + p.size + 8 + bytes.size)
        body.putLong(index).putInt(p.size).put(p).putLong(seq).put(bytes).flip()
        append(ACCEPT, body)
    }

    fun appendTake(index: Long) {
        append(TAKE, ByteBuffer.allocate(8).putLong(index).flip())
    }

    fun appendDeliver(index: Long, to: DeliveredTo) {
        val sess = to.session.toByteArray(Charsets.UTF_8)
        val p = to.producer.toByteArray(Charsets.UTF_8)
        val body = ByteBuffer.allocate(8 + 4 + sess.size + 4 + 4 + p.size + 8)
        body.putLong(index).putInt(sess.size).put(sess).putInt(to.handle).putInt(p.size).put(p).putLong(to.delivery).flip()
        append(DELIVER, body)
    }

    fun appendReturn(index: Long) {
        append(RETURN, ByteBuffer.allocate(8).putLong(index).flip())
    }

    private fun appendProducer(producer: String, seq: Long) {
        val p = producer.toByteArray(Charsets.UTF_8)
        append(PRODUCER, ByteBuffer.allocate(4 + p.size + 8).putInt(p.size).put(p).putLong(seq).flip())
    }

    private fun appendCapacity(capacity: Int) {
        append(CAPACITY, ByteBuffer.allocate(4).putInt(capacity).flip())
    }

    private fun append(type: Byte, body: ByteBuffer) {
        val crc = CRC32()
        crc.update(body.duplicate())
        header.clear()
        header.put(type).putInt(body.remaining()).putInt(crc.value.toInt()).flip()
        while (header.hasRemaining()) file.write(header)
        while (body.hasRemaining()) file.write(body)
    }

    /** Forces what was appended to the disk. */
    fun force() {
        file.force(false)
    }

    fun close() {
        file.close()
    }

    /** A value read back from the log. */
    class Entry(val index: Long, val producer: String, val seq: Long, val bytes: ByteArray)

    /** Where a value was delivered: the attachment ([session], [handle], its [producer]) and the [delivery] number. */
    data class DeliveredTo(val session: String, val handle: Int, val producer: String, val delivery: Long)

    /** A value delivered and not acknowledged when the log ended. */
    class Outstanding(val entry: Entry, val to: DeliveredTo)

    /**
     * What a log held: the capacity, the values in the buffer (in index order), the values out
     * to a session and not acknowledged (in index order), every producer's last sequence number.
     */
    class Contents(
        val name: String,
        val capacity: Int,
        val live: List<Entry>,
        val outstanding: List<Outstanding>,
        val producers: Map<String, Long>,
        val nextIndex: Long,
    )

    companion object {
        private const val CAPACITY: Byte = 1
        private const val ACCEPT: Byte = 2
        private const val TAKE: Byte = 3
        private const val PRODUCER: Byte = 4
        private const val DELIVER: Byte = 5
        private const val RETURN: Byte = 6
        private const val HEADER = 1 + 4 + 4
        private const val SUFFIX = ".log"

        fun pathOf(dir: Path, name: String): Path = dir.resolve(URLEncoder.encode(name, Charsets.UTF_8) + SUFFIX)

        /** The channel names with a log under [dir]. */
        fun namesIn(dir: Path): List<String> {
            if (!Files.isDirectory(dir)) return emptyList()
            Files.list(dir).use { files ->
                return files.map { it.fileName.toString() }
                    .filter { it.endsWith(SUFFIX) }
                    .map { URLDecoder.decode(it.removeSuffix(SUFFIX), Charsets.UTF_8) }
                    .toList()
                    .sorted()
            }
        }

        /** A new, empty log for a channel of [capacity]; replaces any file there. */
        fun create(dir: Path, name: String, capacity: Int): ChannelLog {
            Files.createDirectories(dir)
            val path = pathOf(dir, name)
            val log = ChannelLog(path, FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            log.appendCapacity(capacity)
            log.force()
            return log
        }

        /**
         * Reads [name]'s log under [dir] and rewrites it compacted (only the values not taken,
         * where the unacknowledged ones were delivered, and the producers' sequence numbers), then
         * opens it for appending.
         */
        fun recover(dir: Path, name: String): Pair<Contents, ChannelLog> {
            val path = pathOf(dir, name)
            val contents = read(path, name)
            val tmp = path.resolveSibling(path.fileName.toString() + ".compact")
            val fresh = ChannelLog(tmp, FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            fresh.appendCapacity(contents.capacity)
            for (e in contents.live) fresh.appendAccept(e.index, e.producer, e.seq, e.bytes)
            for (o in contents.outstanding) {
                fresh.appendAccept(o.entry.index, o.entry.producer, o.entry.seq, o.entry.bytes)
                fresh.appendDeliver(o.entry.index, o.to)
            }
            for ((p, seq) in contents.producers) fresh.appendProducer(p, seq)
            fresh.force()
            fresh.close()
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
            return contents to ChannelLog(path, FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
        }

        private fun read(path: Path, name: String): Contents {
            var capacity = -1
            val live = LinkedHashMap<Long, Entry>()
            val delivered = HashMap<Long, DeliveredTo>()
            val producers = HashMap<String, Long>()
            var nextIndex = 1L
            DataInputStream(Files.newInputStream(path).buffered()).use { input ->
                while (true) {
                    val type: Byte
                    val body: ByteArray
                    try {
                        type = input.readByte()
                        val len = input.readInt()
                        val crc = input.readInt()
                        if (len < 0 || len > MAX_RECORD) break
                        body = ByteArray(len)
                        input.readFully(body)
                        val check = CRC32()
                        check.update(body)
                        if (check.value.toInt() != crc) break
                    } catch (e: EOFException) {
                        break
                    }
                    val b = ByteBuffer.wrap(body)
                    when (type) {
                        CAPACITY -> capacity = b.getInt()
                        ACCEPT -> {
                            val index = b.getLong()
                            val producer = readString(b)
                            val seq = b.getLong()
                            val bytes = ByteArray(b.remaining()).also { b.get(it) }
                            live[index] = Entry(index, producer, seq, bytes)
                            producers.merge(producer, seq, ::maxOf)
                            nextIndex = maxOf(nextIndex, index + 1)
                        }
                        TAKE -> b.getLong().let {
                            live.remove(it)
                            delivered.remove(it)
                        }
                        DELIVER -> {
                            val index = b.getLong()
                            val session = readString(b)
                            val handle = b.getInt()
                            val producer = readString(b)
                            if (index in live) delivered[index] = DeliveredTo(session, handle, producer, b.getLong())
                        }
                        RETURN -> delivered.remove(b.getLong())
                        PRODUCER -> {
                            val producer = readString(b)
                            producers.merge(producer, b.getLong(), ::maxOf)
                        }
                        else -> break
                    }
                }
            }
            check(capacity >= 0) { "the log $path of channel '$name' has no capacity record: not a Conduit channel log" }
            val entries = live.values.sortedBy { it.index }
            val (out, buffered) = entries.partition { it.index in delivered }
            return Contents(name, capacity, buffered, out.map { Outstanding(it, delivered.getValue(it.index)) }, producers, nextIndex)
        }

        private fun readString(b: ByteBuffer): String {
            val n = b.getInt()
            val a = ByteArray(n)
            b.get(a)
            return String(a, Charsets.UTF_8)
        }

        /** No record is bigger than a frame can be; a larger length is corruption. */
        private const val MAX_RECORD = 256 shl 20
    }
}
