package dev.conduit.pipeline

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.async
import kotlinx.coroutines.test.runTest

class RouterTest : FunSpec({
    test("each message goes to the first route whose predicate holds; the rest are dead letters") {
        runTest {
            pipeline {
                val router = multiplex(generateFrom(listOf(5, 20_000, 42, -1, 300, 7))) {
                    route("big") { it > 10_000 }
                    route("hundreds", capacity = 4) { it >= 100 }
                    route("small") { it in 0..99 }
                }
                router.routes shouldBe setOf("big", "hundreds", "small")
                val big = async { router["big"].toList() }
                val hundreds = async { router["hundreds"].toList() }
                val small = async { router["small"].toList() }
                val dead = async { router.deadLetters.toList() }
                big.await() shouldBe listOf(20_000)
                hundreds.await() shouldBe listOf(300)
                small.await() shouldBe listOf(5, 42, 7)
                dead.await().map { it.message to it.reason } shouldBe listOf(-1 to "no route matched")
                shouldThrow<IllegalArgumentException> { router["none"] }.message shouldBe
                    "no route none; routes are [big, hundreds, small]"
            }
        }
    }

    test("by key: an unknown key or a key function that throws goes to the dead letters, nothing is lost") {
        runTest {
            pipeline {
                val messages = listOf("eu:1", "us:2", "eu:3", "mars:4", "garbage")
                val router = multiplexByKey(generateFrom(messages), keys = listOf("eu", "us"), capacity = 8, deadLetterCapacity = 8) {
                    require(':' in it) { "malformed message '$it'" }
                    it.substringBefore(':')
                }
                val eu = async { router["eu"].toList() }
                val us = async { router["us"].toList() }
                val dead = router.deadLetters.toList()
                eu.await() shouldBe listOf("eu:1", "eu:3")
                us.await() shouldBe listOf("us:2")
                dead.map { it.message } shouldBe listOf("mars:4", "garbage")
                dead[1].reason shouldBe "choosing a route failed: java.lang.IllegalArgumentException: malformed message 'garbage'"
                dead[1].error.shouldBeInstanceOf<IllegalArgumentException>().message shouldBe "malformed message 'garbage'"
            }
        }
    }

    test("declaring nothing, or a route twice, is refused") {
        runTest {
            pipeline {
                val input = generateFrom(listOf(1))
                shouldThrow<IllegalArgumentException> { multiplex(input) {} }.message shouldBe "declare at least one route"
                shouldThrow<IllegalArgumentException> {
                    multiplex(input) { route("a") { true }; route("a") { true } }
                }.message shouldBe "route a is declared twice"
                input.receive()
            }
        }
    }
})
