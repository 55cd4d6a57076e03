/**
 * Which documents are vnet documents.
 *
 * Asked of the service registry, as Langium itself does: by the client's language id when the
 * client sent one we know (an untitled editor), else by file name. Neither alone is enough:
 * untitled editors have no `.vnet` name, and some clients (Neovim without a filetype) send no
 * language id.
 */
import type { LangiumDocument, ServiceRegistry } from 'langium';

export const VNET_LANGUAGE_ID = 'vnet';

export function isVnetDocument(document: LangiumDocument, registry: ServiceRegistry): boolean {
    return registry.hasServices(document.uri)
        && registry.getServices(document.uri).LanguageMetaData.languageId === VNET_LANGUAGE_ID;
}
