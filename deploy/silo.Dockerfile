# The silo image: `spine-silo` runs one silo of a cluster; `spine-silo migrate` applies the
# migrations and exits. Build from the repository root:
#   docker build -f deploy/silo.Dockerfile -t market-spine/silo .
#   docker run --rm -e SPINE_POSTGRES=... market-spine/silo migrate
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
# The migrations are embedded into MarketSpine.Storage from sql/ at build time.
COPY sql/ sql/
COPY src/ src/
COPY silo/ silo/
RUN dotnet publish silo/MarketSpine.Silo/MarketSpine.Silo.csproj -c Release -o /out --nologo

# The console runtime suffices: the silo serves no HTTP yet (HTTP health arrives with the API).
FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
# APP_UID is the numeric id of the image's unprivileged `app` user: Kubernetes can verify
# runAsNonRoot only against a numeric user, never against a name.
USER $APP_UID
WORKDIR /app
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1
COPY --from=build /out /app
# Silo-to-silo and client-to-silo traffic (SPINE_SILO_ENDPOINT's port).
EXPOSE 11111
# Exec form, so the runtime is PID 1 and receives SIGTERM itself: the silo drains its grains on it.
ENTRYPOINT ["dotnet", "/app/spine-silo.dll"]
