import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { expand, parseTemplate } from "../../src/relabel/expand.ts"
import { compileRegex, type Regex, RegexSyntaxError } from "../../src/relabel/regex.ts"

const re = (p: string): Regex => {
  const r = compileRegex(p)
  if (r instanceof RegexSyntaxError) throw new Error(r.message)
  return r
}

describe("relabel regexes", () => {
  it("are fully anchored, with . matching newlines", () => {
    expect(re("foo").matches("foo")).toBe(true)
    expect(re("foo").matches("foobar")).toBe(false)
    expect(re("o+").matches("foo")).toBe(false)
    expect(re("a.b").matches("a\nb")).toBe(true)
    expect(re("(.*)").exec("x\ny")).toEqual(["x\ny", "x\ny"])
  })

  it("speak Go's RE2 dialect: inline flags, POSIX and Unicode classes, named groups", () => {
    expect(re("(?i)abc").matches("ABC")).toBe(true)
    expect(re("(?i)k").matches("\u212a")).toBe(true) // Kelvin sign folds to k
    expect(re("[[:alpha:]]+").matches("abcXYZ")).toBe(true)
    expect(re("[[:digit:]]+").matches("12a")).toBe(false)
    expect(re("\\pL+").matches("héllo")).toBe(true)
    expect(re("\\p{Greek}+").matches("αβγ")).toBe(true)
    expect(re("(?U)(a+)(a*)").exec("aaa")).toEqual(["aaa", "a", "aa"])
    expect(re("(?P<first>\\w+)-(?P<second>\\w+)").groupNames).toEqual(["", "first", "second"])
    expect(re("a\\Q.*\\E").matches("a.*")).toBe(true)
  })

  it("report a non-participating group as undefined (Go: -1)", () => {
    expect(re("(a)|(b)").exec("b")).toEqual(["b", undefined, "b"])
  })

  it("refuse what RE2 refuses, in Go's words", () => {
    const bad = (p: string) => {
      const r = compileRegex(p)
      expect(r).toBeInstanceOf(RegexSyntaxError)
      return (r as RegexSyntaxError).message
    }
    expect(bad("(")).toBe("error parsing regexp: missing closing ): `^(?s:()$`")
    expect(bad("a**")).toBe("error parsing regexp: invalid nested repetition operator: `**`")
    expect(bad("(?=x)")).toBe("error parsing regexp: invalid or unsupported Perl syntax: `(?=`")
    expect(bad("\\8")).toBe("error parsing regexp: invalid escape sequence: `\\8`")
  })

  it("run a pathological pattern in linear time", () => {
    const evil = re("(a+)+$b|(a|aa)*c")
    const input = "a".repeat(50_000)
    const started = performance.now()
    expect(evil.matches(input)).toBe(false)
    // A backtracking engine takes longer than the age of the universe here; RE2 takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  const fastPatterns = [
    "(.*)", ".*", ".+", "(.+)", "foo", "foo\\.bar", "a|b|", "prom|node_exporter", "__meta_kubernetes_pod_label_(.+)",
    "__meta_(.*)", "prefix.*", "prefix.+", "(.*)_total", ".*suffix", "(.+)\\.example\\.com", "a\\-b", ""
  ]
  it("take string shortcuts for common shapes that give exactly RE2's answers", () => {
    const sample = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom("", "foo", "foo.bar", "prom", "a", "b", "__meta_kubernetes_pod_label_app", "__meta_", "prefix",
        "prefixX", "x_total", "_total", "suffix", "host.example.com", ".example.com", "a-b", "line\nbreak")
    )
    for (const p of fastPatterns) {
      const fast = re(p)
      const slow = compileRegex(p, { fastPaths: false }) as Regex
      fc.assert(fc.property(sample, (s) => {
        expect(fast.matches(s)).toBe(slow.matches(s))
        expect(fast.exec(s)).toEqual(slow.exec(s))
      }), { numRuns: 200 })
      expect(fast.groupNames).toEqual(slow.groupNames)
    }
  })
})

describe("Go's template expansion", () => {
  const groups = ["foo-bar", "foo", "bar"]
  const names = ["", "", "name"]
  it.each([
    ["$1", "foo"],
    ["${1}x", "foox"],
    ["$1x", ""], // names the group "1x", which does not exist
    ["$$1", "$1"],
    ["$name", "bar"],
    ["${name}_$1", "bar_foo"],
    ["$3", ""],
    ["$01", ""], // a leading zero makes it a name
    ["cost: $", "cost: $"],
    ["$-", "$-"],
    ["${1", "${1"],
    ["${}", "${}"],
    ["a$2b", "a"],
    ["$2.$1", "bar.foo"]
  ])("expands %j to %j", (template, out) => expect(expand(parseTemplate(template), groups, names)).toBe(out))

  it("never throws, whatever the template", () => {
    fc.assert(fc.property(fc.string(), (t) => typeof expand(parseTemplate(t), groups, names) === "string"))
  })
})
