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
          # Node 24 runs the TypeScript sources directly (type stripping), as `npm start` does: no build step.
          target-allocator = pkgs.buildNpmPackage {
            pname = "target-allocator";
            version = "0.1.0";
            src = ./.;
            inherit nodejs;
            # Dependencies come straight from package-lock.json; no vendor hash to keep in sync.
            npmDeps = pkgs.importNpmLock { npmRoot = ./.; };
            npmConfigHook = pkgs.importNpmLock.npmConfigHook;
            npmInstallFlags = [ "--omit=optional" ];
            dontNpmBuild = true;
            installPhase = ''
              runHook preInstall
              npm prune --omit=dev --omit=optional
              mkdir -p $out/lib/target-allocator $out/bin
              cp -r package.json src layers node_modules $out/lib/target-allocator/
              # A larger young generation: discovery allocates in bursts, and 32 MiB semi-spaces cut the GC time of
              # a 20k-pod initial sync by a third (bench/README.md).
              makeWrapper ${nodejs}/bin/node $out/bin/target-allocator \
                --add-flags "--max-semi-space-size=32 $out/lib/target-allocator/layers/main.ts"
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
