package dev.conduit.ring

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import java.time.Duration
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

private fun tempChannelFile(): Path = Files.createTempFile("conduit-ipc", ".ring").also { it.toFile().deleteOnExit() }

class IpcChannelTest : FunSpec({
    test("records of every size come out whole and in order, across many wraps of the ring") {
        IpcChannel.create(tempChannelFile(), 4096).use { ipc ->
            val writer = ipc.writer()
            val reader = ipc.reader()
            var nextRead = 0
            for (i in 0 until 5_000) {
                val record = ByteArray(i % 300) { (i + it).toByte() }
                while (!writer.offer(record)) {
                    val got = reader.poll()!!
                    got.size shouldBe nextRead % 300
                    withClue("record $nextRead") { got.toList() shouldBe List(got.size) { (nextRead + it).toByte() } }
                    nextRead++
                }
            }
            while (true) {
                val got = reader.poll() ?: break
                got.size shouldBe nextRead % 300
                nextRead++
            }
            nextRead shouldBe 5_000
            writer.position() shouldBeGreaterThan 10L * ipc.capacity() // it wrapped the ring more than 10 times
        }
    }

    test("a full ring refuses, an oversized record is refused by name, waits time out") {
        IpcChannel.create(tempChannelFile(), 4096).use { ipc ->
            val writer = ipc.writer()
            shouldThrow<IllegalArgumentException> { writer.offer(ByteArray(ipc.maxRecord() + 1)) }.message shouldBe
                "record of 2037 bytes exceeds the maximum of 2036"
            shouldThrow<NullPointerException> { writer.offer(null) }.message shouldBe "record must not be null"
            shouldThrow<IndexOutOfBoundsException> { writer.offer(ByteArray(4), 2, 5) }
            var written = 0
            while (writer.offer(ByteArray(100))) written++
            written shouldBe 4096 / IpcChannel.recordBytes(100) // 112 bytes each
            shouldThrow<TimeoutException> { writer.write(ByteArray(100), Duration.ofMillis(20)) }
            val reader = ipc.reader()
            repeat(written) { reader.poll()!!.size shouldBe 100 }
            reader.poll() shouldBe null
            shouldThrow<TimeoutException> { reader.read({ _, _, _ -> }, Duration.ofMillis(20)) }
        }
        shouldThrow<IllegalArgumentException> { IpcChannel.create(tempChannelFile(), 5000) }.message shouldBe
            "capacity must be a power of two in 4096..1073741824, but was 5000"
    }

    test("a wrong or corrupt file is refused with a clear error") {
        val notOurs = tempChannelFile().also { Files.write(it, ByteArray(8192) { 7 }) }
        shouldThrow<IOException> { IpcChannel.open(notOurs) }.message!! shouldContain "is not a Conduit IPC channel (bad magic number)"
        val tiny = tempChannelFile().also { Files.write(it, ByteArray(10)) }
        shouldThrow<IOException> { IpcChannel.open(tiny) }.message!! shouldContain "shorter than the header"

        fun damaged(at: Int, value: Int): Path {
            val f = tempChannelFile()
            IpcChannel.create(f, 4096).close()
            FileChannel.open(f, StandardOpenOption.WRITE).use { ch ->
                ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), at.toLong())
            }
            return f
        }
        shouldThrow<IOException> { IpcChannel.open(damaged(8, 3)) }.message!! shouldContain "has format version 3, this library reads version 2"
        shouldThrow<IOException> { IpcChannel.open(damaged(12, 8192)) }.message!! shouldContain "corrupt header (CRC mismatch)"
        val grown = tempChannelFile()
        IpcChannel.create(grown, 4096).close()
        Files.write(grown, ByteArray(1), StandardOpenOption.APPEND)
        shouldThrow<IOException> { IpcChannel.open(grown) }.message!! shouldContain "bytes but its header says 4352"
    }

    test("a writer that dies mid-record leaves the reader only whole records; a restarted reader resumes") {
        val file = tempChannelFile()
        IpcChannel.create(file, 4096).use { ipc ->
            val writer = ipc.writer()
            List(10) { writer.offer(byteArrayOf(it.toByte())) } shouldBe List(10) { true } // ten small records fit
            // The writer "dies" half-way through its next record: bytes land past the committed
            // position, but the commit never happens.
            FileChannel.open(file, StandardOpenOption.WRITE).use { ch ->
                val at = IpcChannel.HEADER_BYTES + writer.position()
                ch.write(ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putInt(0, 8).putLong(4, -1L), at)
            }
        }
        IpcChannel.open(file).use { ipc ->
            val reader = ipc.reader()
            List(5) { reader.poll()!![0].toInt() } shouldBe listOf(0, 1, 2, 3, 4)
        }
        IpcChannel.open(file).use { ipc ->
            val reader = ipc.reader() // a new reader process: resumes after record 4
            List(5) { reader.poll()!![0].toInt() } shouldBe listOf(5, 6, 7, 8, 9)
            reader.poll() shouldBe null // the half-written record is not there
            val writer = ipc.writer() // a restarted writer overwrites the uncommitted bytes
            withClue("the restarted writer's offer into an almost empty ring") { writer.offer(byteArrayOf(10)) shouldBe true }
            reader.poll()!!.toList() shouldBe listOf(10.toByte())
        }
    }

    test("two JVMs: 1,000,000 records from a writer process, none lost, none duplicated, order kept") {
        val file = tempChannelFile()
        val count = 1_000_000L
        IpcChannel.create(file, 1 shl 20).use { ipc ->
            val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
            val child = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), IpcWriterProcess::class.java.name,
                file.toString(), count.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start()
            val reader = ipc.reader()
            val expected = ByteArray(IpcWriterProcess.RECORD_BYTES)
            var next = 0L
            val started = System.nanoTime()
            try {
                while (next < count) {
                    reader.read({ buffer, offset, length ->
                        length shouldBe IpcWriterProcess.RECORD_BYTES
                        IpcWriterProcess.record(next, expected)
                        for (k in 0 until length) {
                            if (buffer.get(offset + k) != expected[k]) {
                                error("record $next differs at byte $k: got ${buffer.getLong(offset)} first")
                            }
                        }
                        next++
                    }, Duration.ofSeconds(60))
                }
            } finally {
                withClue("the writer process must exit within 60 s") { child.waitFor(60, TimeUnit.SECONDS) shouldBe true }
            }
            child.exitValue() shouldBe 0
            reader.poll() shouldBe null
            println("ipc: $count records of 64 bytes across two JVMs in ${(System.nanoTime() - started) / 1_000_000} ms (incl. JVM start)")
        }
    }

    test("a writer that died after committing but before saving its position: the restarted writer steps over") {
        val file = tempChannelFile()
        IpcChannel.create(file, 4096).use { ipc ->
            val writer = ipc.writer()
            List(3) { writer.offer(byteArrayOf(it.toByte())) } shouldBe List(3) { true } // three small records fit
            // Roll the saved writer position back to after record 0: records 1 and 2 stay committed.
            IpcChannel.LONG.setRelease(ipc.header, IpcChannel.WRITER_AT, IpcChannel.recordBytes(1).toLong())
        }
        IpcChannel.open(file).use { ipc ->
            val writer = ipc.writer()
            writer.position() shouldBe 3L * IpcChannel.recordBytes(1)
            withClue("the restarted writer's offer into an almost empty ring") { writer.offer(byteArrayOf(3)) shouldBe true }
            val reader = ipc.reader()
            List(4) { reader.poll()!![0].toInt() } shouldBe listOf(0, 1, 2, 3)
            reader.poll() shouldBe null
        }
    }

    test("a reader that died after clearing a record but before saving its position: the restarted reader steps over") {
        val file = tempChannelFile()
        IpcChannel.create(file, 4096).use { ipc ->
            val writer = ipc.writer()
            List(3) { writer.offer(byteArrayOf(it.toByte())) } shouldBe List(3) { true } // three small records fit
            val reader = ipc.reader()
            reader.poll()!![0].toInt() shouldBe 0
            reader.poll()!![0].toInt() shouldBe 1
            // The crash: record 1 was handled and cleared, its position never saved.
            IpcChannel.LONG.setRelease(ipc.header, IpcChannel.READER_AT, IpcChannel.recordBytes(1).toLong())
        }
        IpcChannel.open(file).use { ipc ->
            val reader = ipc.reader()
            reader.position() shouldBe 2L * IpcChannel.recordBytes(1)
            reader.poll()!![0].toInt() shouldBe 2
            reader.poll() shouldBe null
        }
    }

    test("records keep flowing over many laps of a small ring, with padding at the end of each lap") {
        IpcChannel.create(tempChannelFile(), 4096).use { ipc ->
            val writer = ipc.writer()
            val reader = ipc.reader()
            var next = 0
            for (i in 0 until 20_000) {
                val record = ByteArray(1 + i % 200) { (i + it).toByte() }
                while (!writer.offer(record)) {
                    val got = reader.poll()!!
                    got.size shouldBe 1 + next % 200
                    got[0] shouldBe next.toByte()
                    next++
                }
            }
            while (true) {
                val got = reader.poll() ?: break
                got[0] shouldBe next.toByte()
                next++
            }
            next shouldBe 20_000
        }
    }
})
