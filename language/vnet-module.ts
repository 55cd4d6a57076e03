/**
 * The vnet language's services: one factory for the server, the CLI and the tests.
 */
import { inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule,
    type DefaultSharedModuleContext, type LangiumServices, type LangiumSharedServices,
    type PartialLangiumServices, type PartialLangiumSharedServices,
} from 'langium/lsp';
import { VnetGeneratedModule, VnetGeneratedSharedModule, parserConfig } from './generated/module.js';
import { VnetLookaheadStrategy } from './vnet-lookahead.js';
import { VnetValidator, registerValidationChecks } from './vnet-validator.js';
import { VnetNetworkValidator } from './vnet-network-validator.js';
import { VnetDualStackValidator } from './vnet-dual-stack-validator.js';
import { VnetSiteValidator } from './vnet-site-validator.js';
import { VnetClauseValidator } from './vnet-clause-validator.js';
import { VnetLinker, VnetScopeComputation, VnetScopeProvider } from './vnet-scope.js';
import { VnetDocumentValidator } from './vnet-document-validator.js';
import { VnetDocumentBuilder } from './vnet-document-builder.js';
import { VnetWorkspaceManager } from './vnet-workspace-manager.js';
import { VnetAnalyzer } from './vnet-analysis.js';
import { VnetHoverProvider } from './vnet-hover.js';
import { VnetCodeActionProvider } from './vnet-code-actions.js';
import { VnetSemanticTokenProvider } from './vnet-semantic-tokens.js';
import { VnetFormatter } from './vnet-formatter.js';
import { VnetParserErrorMessageProvider } from './vnet-parser-messages.js';
import { VnetRenameProvider } from './vnet-rename.js';
import { VnetCompletionProvider } from './vnet-completion.js';

export type VnetAddedServices = {
    validation: { VnetValidator: VnetValidator; NetworkValidator: VnetNetworkValidator; DualStackValidator: VnetDualStackValidator; SiteValidator: VnetSiteValidator; ClauseValidator: VnetClauseValidator };
    analysis: { Analyzer: VnetAnalyzer };
};

export type VnetServices = LangiumServices & VnetAddedServices;

export const VnetModule: Module<VnetServices, PartialLangiumServices & VnetAddedServices> = {
    parser: {
        ParserConfig: () => ({ ...parserConfig, lookaheadStrategy: new VnetLookaheadStrategy(parserConfig.maxLookahead ?? 3) }),
        ParserErrorMessageProvider: () => new VnetParserErrorMessageProvider(),
    },
    validation: {
        VnetValidator: services => new VnetValidator(services),
        NetworkValidator: services => new VnetNetworkValidator(services),
        DualStackValidator: () => new VnetDualStackValidator(),
        SiteValidator: services => new VnetSiteValidator(services),
        ClauseValidator: () => new VnetClauseValidator(),
        DocumentValidator: services => new VnetDocumentValidator(services),
    },
    analysis: {
        Analyzer: services => new VnetAnalyzer(services),
    },
    references: {
        ScopeComputation: services => new VnetScopeComputation(services),
        ScopeProvider: services => new VnetScopeProvider(services),
        Linker: services => new VnetLinker(services),
    },
    lsp: {
        HoverProvider: services => new VnetHoverProvider(services),
        CodeActionProvider: () => new VnetCodeActionProvider(),
        SemanticTokenProvider: services => new VnetSemanticTokenProvider(services),
        Formatter: () => new VnetFormatter(),
        RenameProvider: services => new VnetRenameProvider(services),
        CompletionProvider: services => new VnetCompletionProvider(services),
    },
};

export const VnetSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    workspace: {
        DocumentBuilder: services => new VnetDocumentBuilder(services),
        WorkspaceManager: services => new VnetWorkspaceManager(services),
    },
};

/**
 * Creates the shared services and the vnet language services. Without a connection (tests, CLI)
 * the configuration provider is marked initialized, or builds would wait for a client forever.
 */
export function createVnetServices(context: DefaultSharedModuleContext): { shared: LangiumSharedServices; Vnet: VnetServices } {
    const shared = inject(createDefaultSharedModule(context), VnetGeneratedSharedModule, VnetSharedModule);
    const Vnet = inject(createDefaultModule({ shared }), VnetGeneratedModule, VnetModule);
    shared.ServiceRegistry.register(Vnet);
    registerValidationChecks(Vnet);
    if (!context.connection) {
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Vnet };
}
