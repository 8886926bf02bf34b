#include "aimc/sweep/SweepRunner.h"

#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "aimc/base/Error.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"
#include "aimc/sweep/ResultStoreLock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace aimc {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last lines of a child's stderr: enough to say why it failed, short enough for a table cell.
std::string tail_of(const std::string& text, size_t max_lines = 6) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i)
    out += (out.empty() ? "" : "\n") + lines[i];
  return out;
}

std::string format_duration(double s) {
  if (s < 60) return fmt::format("{:.1f}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", int(s) / 60, int(s) % 60);
  return fmt::format("{}h{:02}m", int(s) / 3600, (int(s) % 3600) / 60);
}

struct Child {
  pid_t pid;
  PointRow row;
  fs::path dir;
  Clock::time_point start;
  bool timed_out = false;
};

pid_t spawn(const std::vector<std::string>& args, const fs::path& dir) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw UserError(std::string("cannot start a worker process: ") + std::strerror(errno));
  if (pid == 0) {
    // A child must not outlive the sweep that waits for it (a killed sweep is resumed, not doubled).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int fi = open("/dev/null", O_RDONLY);
    if (fo < 0 || fe < 0 || fi < 0) _exit(127);
    dup2(fi, 0);
    dup2(fo, 1);
    dup2(fe, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

class Progress {
 public:
  Progress(std::ostream& log, SweepOptions::Progress mode, int total, int already)
      : log_(log), total_(total), done_(already), start_(Clock::now()) {
    bar_ = mode == SweepOptions::Progress::kBar ||
           (mode == SweepOptions::Progress::kAuto && &log == &std::cerr && isatty(STDERR_FILENO));
    quiet_ = mode == SweepOptions::Progress::kQuiet;
    todo_ = total - already;
  }
  // Redraws the bar (a terminal only) at most twice a second, so that elapsed time and ETA move while long
  // points run.
  void tick() {
    if (!bar_ || quiet_ || Clock::now() - last_draw_ < std::chrono::milliseconds(500)) return;
    draw();
  }
  void finished(const PointRow& r) {
    ++done_;
    ++done_now_;
    if (r.status != "ok") ++bad_;
    if (quiet_) return;
    const double el = std::chrono::duration<double>(Clock::now() - start_).count();
    const double eta = done_now_ ? el / done_now_ * (todo_ - done_now_) : 0;
    if (bar_) {
      draw();
      if (r.status != "ok")
        log_ << fmt::format("\r\033[Kpoint {} {}: {}\n", r.point, r.status, first_line(r.error))
             << std::flush;
    } else {
      std::string params;
      for (auto it = r.params.begin(); it != r.params.end(); ++it)
        params += fmt::format(" {}={}", it.key(), it.value().get<std::string>());
      log_ << fmt::format("[{}/{}] point {} {} ({:.2f}s){}{} | elapsed {}, ETA {}\n", done_, total_, r.point,
                          r.status, r.wall_s, params, r.status == "ok" ? "" : ": " + first_line(r.error),
                          format_duration(el), format_duration(eta))
           << std::flush;
    }
  }
  void draw() {
    last_draw_ = Clock::now();
    const double el = std::chrono::duration<double>(last_draw_ - start_).count();
    const std::string eta = done_now_ ? format_duration(el / done_now_ * (todo_ - done_now_)) : "?";
    const int width = 30;
    const int fill = total_ ? done_ * width / total_ : width;
    log_ << fmt::format("\r[{}{}] {}/{} ({} failed)  {} elapsed, ETA {}\033[K", std::string(fill, '#'),
                        std::string(width - fill, '.'), done_, total_, bad_, format_duration(el), eta)
         << std::flush;
  }
  void end() {
    if (bar_ && !quiet_) log_ << '\n';
  }

 private:
  static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }
  std::ostream& log_;
  int total_, done_, done_now_ = 0, todo_ = 0, bad_ = 0;
  Clock::time_point start_, last_draw_;
  bool bar_ = false, quiet_ = false;
};

}  // namespace

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {0};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

std::string self_executable() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  AIMC_ASSERT_MSG(!ec, "cannot read /proc/self/exe");
  return p.string();
}

SweepRunner::SweepRunner(SweepSpec spec, SweepOptions options)
    : spec_(std::move(spec)), opt_(std::move(options)) {
  if (opt_.exe.empty()) opt_.exe = self_executable();
  if (opt_.jobs <= 0) opt_.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::vector<PointRow> SweepRunner::plan() const {
  std::vector<PointRow> out;
  std::set<std::string> seen;
  for (const SweepPoint& p : spec_.expand()) {
    PointRow r;
    r.sweep = spec_.name;
    r.point = p.index;
    for (const auto& [k, v] : p.axis_values) r.params[k] = v;
    for (const auto& s : p.sets) r.sets.push_back(s);
    r.tool_version = AIMCSIM_VERSION;
    try {
      // Resolved here, in the parent, exactly as the child will: the hash covers every value the point
      // runs with (an edit of the base or arch file makes new points), and a bad value fails at once.
      nlohmann::json cfg;
      cfg["command"] = spec_.command;
      if (spec_.command == "run") {
        const ResolvedRun rr = load_run(spec_.base, p.sets);
        nlohmann::json run = run_params().to_json(rr.run);
        run.erase("output.dir");  // each point writes to its own directory
        run.erase("threads");     // host threads do not change a result (the hashes of earlier points hold)
        cfg["run"] = run;
        cfg["arch"] = arch_to_json(rr.arch);
        r.seed = rr.run.seed;
      } else {
        ConfigSource over;
        for (const auto& s : p.sets) over.apply_override(s, "sweep " + spec_.file);
        cfg["arch"] = arch_to_json(load_arch(spec_.base, over));
      }
      r.config = cfg;
    } catch (const IgnoredKeyError& e) {
      // Not one failed point but a sweep whose points would not differ in what it sweeps: refused before
      // any point runs, naming the axis (or `set:` key) that sets the ignored key.
      int line = 0;
      for (const auto& a : spec_.axes)
        if (a.key == e.key()) line = a.line;
      throw UserError(spec_.file, line, e.key(),
                      fmt::format("point {} ({}): {}; the sweep runs no point", p.index,
                                  fmt::join(p.sets, " "), e.reason()));
    } catch (const std::exception& e) {
      // Stays pending here; the run records it as failed with this error, without starting a child.
      r.config = {{"command", spec_.command}, {"base", spec_.base}, {"sets", r.sets}};
      r.error = e.what();
    }
    r.config_hash = config_hash(r.config.dump());
    if (seen.insert(r.config_hash).second) out.push_back(std::move(r));
  }
  return out;
}

void SweepRunner::register_points(ResultStore& store, const std::vector<PointRow>& planned) const {
  nlohmann::json metrics = nlohmann::json::array(), axes = nlohmann::json::array();
  for (const auto& m : spec_.metrics)
    metrics.push_back({{"name", m.name}, {"path", m.path}, {"unit", m.unit}});
  for (const auto& a : spec_.axes) axes.push_back(a.key);
  store.set_meta("sweep", spec_.name);
  store.set_meta("sweep_file", spec_.file);
  store.set_meta("command", spec_.command);
  store.set_meta("base", spec_.base);
  store.set_meta("axes", axes.dump());
  store.set_meta("metrics", metrics.dump());
  store.set_meta("tool_version", AIMCSIM_VERSION);
  for (const auto& r : planned) {
    PointRow pending = r;
    pending.error.clear();
    store.add_pending(pending);
  }
}

nlohmann::json SweepRunner::extract_metrics(const nlohmann::json& report) const {
  nlohmann::json m = nlohmann::json::object();
  for (const auto& metric : spec_.metrics) m[metric.name] = json_at_path(report, metric.path);
  return m;
}

SweepSummary SweepRunner::run(std::ostream& log) {
  const auto t0 = Clock::now();
  const ResultStoreLock lock(opt_.db_path, "sweep " + spec_.file);
  ResultStore store(opt_.db_path);
  std::vector<PointRow> planned = plan();
  if (!opt_.only_points.empty()) {
    const std::set<int> only(opt_.only_points.begin(), opt_.only_points.end());
    std::vector<PointRow> kept;
    for (auto& r : planned)
      if (only.count(r.point)) kept.push_back(std::move(r));
    planned = std::move(kept);
  }
  register_points(store, planned);

  SweepSummary sum;
  sum.points = static_cast<int>(planned.size());
  std::vector<PointRow> todo;
  for (auto& r : planned) {
    const std::optional<PointRow> stored = store.row(r.config_hash);
    AIMC_ASSERT(stored.has_value());
    const bool rerun = stored->status == "pending" || (opt_.retry_failed && stored->status != "ok");
    if (!rerun) {
      ++sum.already;
      // A sweep killed between storing a point and removing its work directory leaves the directory behind.
      std::error_code ec;
      fs::remove_all(fs::path(opt_.db_path + ".work") / r.config_hash, ec);
      // The metrics may have changed since the point ran: they are re-read from the stored report.
      if (stored->status == "ok" && !stored->report.is_null()) {
        const nlohmann::json m = extract_metrics(stored->report);
        if (m != stored->metrics) store.set_metrics(r.config_hash, m);
      }
      continue;
    }
    r.attempts = stored->attempts;
    todo.push_back(std::move(r));
  }

  Progress progress(log, opt_.progress, sum.points, sum.already);
  if (opt_.progress != SweepOptions::Progress::kQuiet)
    log << fmt::format("sweep '{}': {} points, {} already done, {} to run with {} worker{} -> {}\n",
                       spec_.name, sum.points, sum.already, todo.size(), opt_.jobs, opt_.jobs == 1 ? "" : "s",
                       opt_.db_path)
        << std::flush;

  auto count = [&](const PointRow& r) {
    if (r.status == "ok")
      ++sum.ok;
    else if (r.status == "crashed")
      ++sum.crashed;
    else if (r.status == "timeout")
      ++sum.timeout;
    else
      ++sum.failed;
  };

  const fs::path work = fs::path(opt_.db_path + ".work");
  std::map<pid_t, Child> running;
  size_t next = 0;
  while (next < todo.size() || !running.empty()) {
    // Start children up to the job limit. A point that did not resolve is recorded without a child.
    while (next < todo.size() && static_cast<int>(running.size()) < opt_.jobs) {
      PointRow r = std::move(todo[next++]);
      ++r.attempts;
      if (!r.error.empty()) {  // the configuration does not resolve: a bad value
        r.status = "failed";
        r.finished_at = utc_now();
        r.host = host_name();
        store.record(r);
        count(r);
        progress.finished(r);
        continue;
      }
      Child c;
      c.dir = work / r.config_hash;
      std::error_code ec;
      fs::remove_all(c.dir, ec);
      fs::create_directories(c.dir);
      std::vector<std::string> args = {opt_.exe, spec_.command, spec_.base};
      if (spec_.command == "run") {
        args.insert(args.end(), {"--out", (c.dir / "out").string()});
      } else {
        args.push_back("--json");
      }
      for (const auto& s : r.sets) args.insert(args.end(), {"--set", s.get<std::string>()});
      c.start = Clock::now();
      c.pid = spawn(args, c.dir);
      c.row = std::move(r);
      running.emplace(c.pid, std::move(c));
    }
    // Reap whatever ended; kill what is over its time.
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      auto it = running.find(pid);
      if (it == running.end()) continue;
      Child c = std::move(it->second);
      running.erase(it);
      PointRow& r = c.row;
      r.wall_s = std::chrono::duration<double>(Clock::now() - c.start).count();
      r.finished_at = utc_now();
      r.host = host_name();
      const std::string err = tail_of(read_file(c.dir / "stderr"));
      if (c.timed_out) {
        r.status = "timeout";
        r.error = fmt::format("killed after the sweep's timeout of {:g} s", spec_.timeout_s);
      } else if (WIFSIGNALED(status)) {
        r.status = "crashed";
        r.error = fmt::format("killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
        if (!err.empty()) r.error += "\n" + err;
      } else if (WEXITSTATUS(status) != 0) {
        r.status = "failed";
        r.error = fmt::format("exit status {}", WEXITSTATUS(status));
        if (!err.empty()) r.error += ": " + err;
      } else {
        const fs::path report_file =
            spec_.command == "run" ? c.dir / "out" / "report.json" : c.dir / "stdout";
        const nlohmann::json report = nlohmann::json::parse(read_file(report_file), nullptr, false);
        if (report.is_discarded() || !report.is_object()) {
          r.status = "failed";
          r.error = "no JSON report in " + report_file.string();
        } else {
          r.status = "ok";
          r.error.clear();
          r.report = report;
          r.metrics = extract_metrics(report);
        }
      }
      store.record(r);  // one transaction: stored completely or not at all
      std::error_code ec;
      fs::remove_all(c.dir, ec);
      count(r);
      progress.finished(r);
      continue;
    }
    if (pid < 0 && errno != EINTR && errno != ECHILD)
      throw UserError(std::string("waitpid: ") + strerror(errno));
    if (spec_.timeout_s > 0)
      for (auto& [p, c] : running)
        if (!c.timed_out && std::chrono::duration<double>(Clock::now() - c.start).count() > spec_.timeout_s) {
          c.timed_out = true;
          kill(p, SIGKILL);
        }
    progress.tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  progress.end();
  std::error_code ec;
  fs::remove(work, ec);  // only if empty
  sum.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return sum;
}

}  // namespace aimc
