// After `mvn verify` of the library-user project (basedir: its copy under tests/target/it).
def fail = { String message -> throw new AssertionError("library-user: " + message) }

// The program ran and recorded.
def recording = new File(basedir, "runs/r1")
if (!new File(recording, "ring.dat").isFile()) fail("no recording at " + recording)

// It printed nothing of its own: between exec's banner and the next plugin's there is no line.
def log = new File(basedir, "build.log").text
if (log.contains("SLF4J")) fail("the recording JVM printed SLF4J's warnings:\n" + log)
def banner = log.indexOf(":exec (run) @ training-loop ---")
if (banner < 0) fail("the program did not run:\n" + log)
def run = log.substring(banner)
run = run.substring(run.indexOf('\n') + 1)
def printed = run.substring(0, run.indexOf("[INFO]")).trim()
if (!printed.isEmpty()) fail("the recording JVM printed:\n" + printed)

// The user's build resolved every library at the version Blackbox's build resolved and tested.
def versions = { File file ->
    def found = [:]
    file.eachLine { line ->
        def m = line =~ /^\s+([^:\s]+):([^:]+):jar:(?:([^:]+):)?([^:]+):(compile|runtime)/
        if (m.find() && m.group(1) != "io.blackbox" && m.group(1) != "com.example") {
            found[m.group(1) + ":" + m.group(2) + (m.group(3) ? ":" + m.group(3) : "")] = m.group(4)
        }
    }
    found
}
def user = versions(new File(basedir, "target/runtime-dependencies.txt"))
def tested = versions(new File(testedDependencies))
if (tested.isEmpty()) fail(testedDependencies + " lists nothing")
if (user != tested) {
    def differ = (user.keySet() + tested.keySet()).findAll { user[it] != tested[it] }.sort()
    fail("resolved versions differ from the tested ones (artifact: user's vs tested):\n" +
        differ.collect { "  " + it + ": " + user[it] + " vs " + tested[it] }.join("\n"))
}
return true
