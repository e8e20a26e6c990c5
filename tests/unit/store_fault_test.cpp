// Storage degrades, the screen does not (issue 9): every fault the snapshot can meet while a panel
// runs — a full disk, I/O errors, a file that cannot be opened, something else at its path, a
// read-only file system, the file deleted or replaced — leaves the writer running: it says so once
// per change, keeps what it could not write, retries, and resumes by itself with nothing stored lost.
// Faults come from a fault-injecting VFS (fixtures/store/fault_vfs.hpp) or from the real condition.
#include <doctest/doctest.h>
#include <sys/mount.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fixtures/store/fault_vfs.hpp"
#include "fixtures/store/store_fixture.hpp"
#include "store/writer.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using namespace std::chrono_literals;
using store::test::Conn;
using store::test::FaultVfs;
using store::test::presence;
using store::test::TempDir;

namespace {

constexpr long long kT0 = 1'764'000'000'000;

// The writer's health changes, as the panel's log would show them: one entry per change.
struct Changes {
  std::mutex mutex;
  std::vector<store::Health> seen;
  std::size_t failures() {
    std::lock_guard lock(mutex);
    std::size_t n = 0;
    for (const auto& h : seen) n += h.ok ? 0 : 1;
    return n;
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return seen.size();
  }
};

store::WriterOptions fast(Changes& changes, bool vfs) {
  store::WriterOptions o;
  o.flush_interval = 10ms;
  o.retry_min = 20ms;
  o.retry_max = 80ms;
  o.identity_every = 50ms;
  o.limits = {std::chrono::hours(24 * 365 * 100), 100'000'000, 5'000};
  if (vfs) o.open.vfs = FaultVfs::kName;
  o.on_change = [&changes](const store::Health& now, const store::Health&) {
    std::lock_guard lock(changes.mutex);
    changes.seen.push_back(now);
  };
  return o;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

long long rows(const fs::path& path, const char* table) {
  Conn c(path);
  return c.integer(std::string("SELECT count(*) FROM ") + table);
}

void record_range(store::Writer& writer, int from, int to) {
  for (int i = from; i < to; ++i) writer.record("r" + std::to_string(i), presence(i % 2 == 0, kT0 + i), true);
}

// The same story for each write fault: stored, fault, kept running and said so once, resumed.
void write_fault_story(std::atomic<int>& control, int code, const char* kind) {
  FaultVfs& vfs = FaultVfs::get();
  vfs.clear();
  TempDir dir;
  const fs::path path = dir / "state.db";
  Changes changes;
  store::WriterOptions options = fast(changes, true);
  store::Writer writer(store::Writer::open(path, options), options);
  record_range(writer, 0, 10);
  writer.flush_now();
  REQUIRE(writer.health().ok);
  REQUIRE(rows(path, "latest") == 10);

  control = code;
  for (int round = 0; round < 5; ++round) {  // five failed commits, one change of state
    record_range(writer, 10 + round * 4, 14 + round * 4);
    writer.flush_now();
  }
  CHECK(eventually([&] { return writer.stats().errors >= 5; }));
  const store::Health failing = writer.health();
  CHECK_FALSE(failing.ok);
  CHECK(failing.kind == kind);
  CHECK(failing.problem.find("keeps what it could not write") != std::string::npos);
  CHECK(changes.failures() == 1);  // logged once, not once per failed commit
  CHECK(vfs.injected > 0);

  control = SQLITE_OK;  // the cause is gone: it resumes by itself, no flush asked
  CHECK(eventually([&] { return writer.health().ok; }));
  writer.flush_now();
  CHECK(changes.size() == 2);  // failing, then writing again
  CHECK(rows(path, "latest") == 30);  // the 10 stored before and the 20 that waited
  CHECK(rows(path, "history") == 30);
  CHECK(writer.stats().history_dropped == 0);
  Conn check(path);
  CHECK(check.text("PRAGMA integrity_check") == "ok");
}

}  // namespace

TEST_CASE("a full disk (SQLITE_FULL on write): the writer keeps running, says so once, resumes, loses nothing") {
  write_fault_story(FaultVfs::get().write_error, SQLITE_FULL, "full");
}

TEST_CASE("an I/O error on write (SQLITE_IOERR_WRITE): the writer keeps running, says so once, resumes") {
  write_fault_story(FaultVfs::get().write_error, SQLITE_IOERR_WRITE, "io");
}

TEST_CASE("a snapshot that cannot be opened at start (SQLITE_READONLY / SQLITE_CANTOPEN): no writer dies, it opens later") {
  for (int code : {SQLITE_READONLY, SQLITE_CANTOPEN}) {
    CAPTURE(code);
    FaultVfs& vfs = FaultVfs::get();
    vfs.clear();
    TempDir dir;
    const fs::path path = dir / "state.db";
    {  // something stored by an earlier run
      store::Writer earlier(store::Snapshot::open(path));
      record_range(earlier, 0, 5);
    }
    Changes changes;
    store::WriterOptions options = fast(changes, true);
    vfs.open_error = code;
    store::Writer::Start start = store::Writer::open(path, options);
    CHECK(start.db == nullptr);
    CHECK_FALSE(start.health.ok);
    CHECK(start.health.problem.find(path.string()) != std::string::npos);
    store::Writer writer(std::move(start), options);
    record_range(writer, 5, 12);
    writer.flush_now();  // returns: it cannot open, it does not hang
    std::this_thread::sleep_for(100ms);  // a few retries
    CHECK_FALSE(writer.health().ok);
    CHECK(changes.failures() == 0);  // the failure it started with was said at start, not again

    vfs.clear();
    CHECK(eventually([&] { return writer.health().ok; }));
    writer.flush_now();
    CHECK(rows(path, "latest") == 12);  // the 5 from before and the 7 that waited
  }
}

TEST_CASE("something else at the path (a directory, a symlink to /dev/null): refused by name, written once it is a file") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  for (int variant = 0; variant < 2; ++variant) {
    CAPTURE(variant);
    if (variant == 0) fs::create_directory(path);
    else fs::create_symlink("/dev/null", path);
    Changes changes;
    store::WriterOptions options = fast(changes, false);
    store::Writer::Start start = store::Writer::open(path, options);
    REQUIRE(start.db == nullptr);
    CHECK(start.health.kind == "not-a-file");
    CHECK(start.health.problem.find(variant == 0 ? "it is a directory" : "a character device (a symlink to /dev/null)") !=
          std::string::npos);
    CHECK_THROWS(store::Snapshot::open_read_only(path));
    store::Writer writer(std::move(start), options);
    record_range(writer, 0, 3);
    std::this_thread::sleep_for(100ms);
    CHECK(fs::exists("/dev/null"));
    CHECK_FALSE(fs::exists("/dev/null-wal"));

    fs::remove(path);  // staff fix it
    CHECK(eventually([&] { return writer.health().ok; }));
    writer.flush_now();
    CHECK(rows(path, "latest") == 3);
    CHECK(changes.size() == 1);  // "writing again", once
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
  }
}

TEST_CASE("a read-only file system: the last state is still read, the writer waits, and writes once it is writable") {
  TempDir dir;
  const fs::path src = dir / "src", mnt = dir / "mnt";
  fs::create_directories(src);
  fs::create_directories(mnt);
  {
    store::Writer earlier(store::Snapshot::open(src / "state.db"));
    record_range(earlier, 0, 4);
  }
  // A read-only bind mount: what ProtectSystem=strict makes of /etc. Root ignores chmod, not EROFS.
  if (::mount(src.c_str(), mnt.c_str(), nullptr, MS_BIND, nullptr) != 0 ||
      ::mount(nullptr, mnt.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0) {
    ::umount(mnt.c_str());
    MESSAGE("skipped: this test needs mount(2) (CAP_SYS_ADMIN) for a read-only bind mount");
    return;
  }
  struct Unmount {
    fs::path p;
    ~Unmount() { ::umount(p.c_str()); }
  } unmount{mnt};
  const fs::path path = mnt / "state.db";
  Changes changes;
  store::WriterOptions options = fast(changes, false);
  store::Writer::Start start = store::Writer::open(path, options);
  REQUIRE(start.db == nullptr);
  CHECK(start.health.problem.find("not writable") != std::string::npos);
  auto reader = store::Snapshot::open_read_only(path);  // the last state, for the screen
  CHECK(reader->load_latest().size() == 4);
  reader.reset();
  store::Writer writer(std::move(start), options);
  record_range(writer, 4, 9);
  std::this_thread::sleep_for(100ms);
  CHECK_FALSE(writer.health().ok);

  REQUIRE(::mount(nullptr, mnt.c_str(), nullptr, MS_BIND | MS_REMOUNT, nullptr) == 0);  // writable again
  CHECK(eventually([&] { return writer.health().ok; }));
  writer.flush_now();
  CHECK(rows(src / "state.db", "latest") == 9);
}

TEST_CASE("the snapshot deleted while the writer runs: detected, recreated with the last state, nothing after it lost") {
  // rm state.db*, or only state.db: then its -wal stays, and must not be replayed into the new file.
  for (bool main_only : {false, true}) {
    CAPTURE(main_only);
    TempDir dir;
    const fs::path path = dir / "state.db";
    Changes changes;
    store::WriterOptions options = fast(changes, false);
    store::Writer writer(store::Writer::open(path, options), options);
    record_range(writer, 0, 6);
    writer.flush_now();
    REQUIRE(rows(path, "latest") == 6);

    for (const char* suffix : {"", "-wal", "-shm"})
      if (!main_only || !*suffix) fs::remove(path.string() + suffix);
    CHECK(eventually([&] { return writer.health().note.find("was deleted") != std::string::npos; }));
    record_range(writer, 6, 10);
    writer.flush_now();
    CHECK(rows(path, "latest") == 10);  // the 6 carried over from the open (deleted) file, and the new ones
    CHECK(writer.health().ok);
    CHECK(writer.health().note.find("was deleted while the panel ran; it was recreated") != std::string::npos);
    if (main_only) CHECK(writer.health().note.find("moved aside: state.db-wal.orphan-") != std::string::npos);
    Conn check(path);
    CHECK(check.text("PRAGMA integrity_check") == "ok");
  }
}

TEST_CASE("the snapshot replaced by another file while the writer runs: the writer moves to the new file") {
  TempDir dir;
  const fs::path path = dir / "state.db", other = dir / "other.db";
  Changes changes;
  store::WriterOptions options = fast(changes, false);
  store::Writer writer(store::Writer::open(path, options), options);
  record_range(writer, 0, 3);
  writer.flush_now();
  {
    auto db = store::Snapshot::open(other);
    db->write({{"x", presence(true, kT0)}}, {});
  }
  fs::rename(other, path);
  CHECK(eventually([&] { return writer.health().note.find("was replaced") != std::string::npos; }));
  record_range(writer, 3, 5);
  writer.flush_now();
  Conn c(path);
  std::string ids = c.text("SELECT group_concat(space_id) FROM latest");
  CAPTURE(ids);
  CHECK(rows(path, "latest") == 6);  // its own row, the 3 carried, the 2 new
}

TEST_CASE("a real full disk (a 2 MB tmpfs filled up): the writer keeps what waits, and writes it once space is freed") {
  TempDir dir;
  const fs::path mnt = dir / "small";
  fs::create_directories(mnt);
  if (::mount("kiosk-test", mnt.c_str(), "tmpfs", 0, "size=2m") != 0) {
    MESSAGE("skipped: this test needs mount(2) (CAP_SYS_ADMIN) for a size-limited tmpfs");
    return;
  }
  struct Unmount {
    fs::path p;
    ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
  } unmount{mnt};
  const fs::path path = mnt / "state.db", filler = mnt / "filler";
  Changes changes;
  store::WriterOptions options = fast(changes, false);
  store::Writer writer(store::Writer::open(path, options), options);
  record_range(writer, 0, 10);
  writer.flush_now();
  REQUIRE(rows(path, "latest") == 10);
  {
    std::ofstream fill(filler, std::ios::binary);  // every byte left
    const std::string block(64 * 1024, 'x');
    while (fill.write(block.data(), static_cast<std::streamsize>(block.size())) && fill.flush()) {
    }
  }
  // Enough rows to need new pages in the -wal, which the full file system refuses.
  for (int i = 10; i < 3000; ++i)
    writer.record("space-with-a-long-id-" + std::to_string(i), presence(true, kT0 + i), true);
  writer.flush_now();
  CHECK(eventually([&] { return !writer.health().ok; }));
  CHECK(writer.health().kind == "full");
  CHECK(changes.failures() == 1);

  fs::remove(filler);  // space again
  CHECK(eventually([&] { return writer.health().ok; }));
  writer.flush_now();
  CHECK(rows(path, "latest") == 3000);
  CHECK(writer.stats().history_dropped == 0);
  Conn check(path);
  CHECK(check.text("PRAGMA integrity_check") == "ok");
}
