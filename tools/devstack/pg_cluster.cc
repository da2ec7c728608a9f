#include "tools/devstack/pg_cluster.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "tools/devstack/subprocess.h"

namespace gridserve::devstack {
namespace fs = std::filesystem;
namespace {

std::string PostgresBinDir() {
  if (const char* dir = std::getenv("GRIDSERVE_PG_BINDIR")) return dir;
  std::string best;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    if (fs::exists(entry.path() / "bin" / "pg_ctl") && entry.path().string() > best) best = entry.path().string();
  }
  return best.empty() ? "" : best + "/bin";
}

bool RunningAsRoot() { return geteuid() == 0; }

// As root, commands run as the postgres user; otherwise as ourselves.
std::vector<std::string> AsServerUser(std::vector<std::string> argv) {
  if (!RunningAsRoot()) return argv;
  std::vector<std::string> wrapped = {"setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

absl::Status GiveToServerUser(const std::string& path) {
  if (!RunningAsRoot()) return absl::OkStatus();
  struct passwd* user = getpwnam("postgres");
  if (user == nullptr) return absl::FailedPreconditionError("user 'postgres' missing: install the postgresql package");
  if (chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
    return absl::InternalError(absl::StrCat("cannot chown ", path, " to postgres"));
  }
  return absl::OkStatus();
}

std::map<std::string, std::string> CommandEnvironment() {
  return {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"LANG", "C.UTF-8"}, {"LC_ALL", "C.UTF-8"}};
}

absl::StatusOr<std::string> MakeTempDir(const std::string& prefix) {
  std::string pattern = absl::StrCat(fs::temp_directory_path().string(), "/", prefix, "XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  return pattern;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgCluster>> PgCluster::Start(Options options) {
  std::string bin = PostgresBinDir();
  if (bin.empty()) return absl::FailedPreconditionError("PostgreSQL server not found under /usr/lib/postgresql: install postgresql");
  std::unique_ptr<PgCluster> cluster(new PgCluster());
  if (options.root_dir.empty()) {
    auto dir = MakeTempDir("gridserve-pgdata-");
    if (!dir.ok()) return dir.status();
    cluster->root_dir_ = *dir;
    cluster->throwaway_ = true;
  } else {
    cluster->root_dir_ = fs::absolute(options.root_dir).string();
    fs::create_directories(cluster->root_dir_);
  }
  auto socket_dir = MakeTempDir("gridserve-pgsock-");
  if (!socket_dir.ok()) return socket_dir.status();
  cluster->socket_dir_ = *socket_dir;
  for (const std::string& dir : {cluster->root_dir_, cluster->socket_dir_}) {
    if (absl::Status status = GiveToServerUser(dir); !status.ok()) return status;
  }

  std::string data = cluster->root_dir_ + "/data";
  if (!fs::exists(data + "/PG_VERSION")) {
    absl::Status status = RunCommand(
        AsServerUser({bin + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync"}),
        CommandEnvironment(), cluster->root_dir_ + "/initdb.log");
    if (!status.ok()) return status;
  }
  if (absl::Status status = cluster->StartServer(); !status.ok()) return status;
  try {
    pqxx::connection connection(cluster->Url("postgres", "postgres"));
    pqxx::nontransaction session(connection);
    if (session.exec("SELECT 1 FROM pg_database WHERE datname = 'gridserve'").empty()) {
      session.exec0("CREATE DATABASE gridserve");
    }
  } catch (const std::exception& error) {
    return absl::UnavailableError(absl::StrCat("cannot create database gridserve: ", error.what()));
  }
  return cluster;
}

absl::Status PgCluster::StartServer() {
  std::string bin = PostgresBinDir();
  std::string options = absl::StrCat("-k ", socket_dir_, " -c listen_addresses='' -c max_connections=200");
  if (throwaway_) absl::StrAppend(&options, " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
  absl::Status status = RunCommand(
      AsServerUser({bin + "/pg_ctl", "-D", root_dir_ + "/data", "-l", root_dir_ + "/postgres.log",
                    "-w", "-t", "60", "-o", options, "start"}),
      CommandEnvironment(), root_dir_ + "/pg_ctl.log");
  if (status.ok()) running_ = true;
  return status;
}

absl::Status PgCluster::Stop() {
  if (!running_) return absl::OkStatus();
  running_ = false;
  return RunCommand(
      AsServerUser({PostgresBinDir() + "/pg_ctl", "-D", root_dir_ + "/data", "-m", "fast", "-w", "stop"}),
      CommandEnvironment(), root_dir_ + "/pg_ctl.log");
}

absl::Status PgCluster::Restart() {
  if (absl::Status status = Stop(); !status.ok()) return status;
  return StartServer();
}

PgCluster::~PgCluster() {
  Stop().IgnoreError();
  std::error_code error;
  fs::remove_all(socket_dir_, error);
  if (throwaway_) fs::remove_all(root_dir_, error);
}

std::string PgCluster::Url(const std::string& user, const std::string& database) const {
  return absl::StrCat("host=", socket_dir_, " port=5432 user=", user, " dbname=", database);
}

absl::Status PgCluster::Execute(const std::string& sql) const {
  try {
    pqxx::connection connection(Url());
    pqxx::nontransaction session(connection);
    session.exec(sql);
    return absl::OkStatus();
  } catch (const std::exception& error) {
    return absl::InternalError(absl::StrCat("SQL failed: ", error.what()));
  }
}

}  // namespace gridserve::devstack
