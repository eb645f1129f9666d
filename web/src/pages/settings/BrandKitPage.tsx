import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Autocomplete, Box, Button, ColorInput, Grid, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertCircle, IconLock } from '@tabler/icons-react';
import { api, type Brand } from '../../api.ts';
import { FormSection } from '../../components/FormSection.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SaveBar } from '../../components/SaveBar.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useFormErrors } from '../../lib/forms.ts';
import { brandKey, useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { COLOR_ROLES, draftOf, FONT_STACKS, KIT_FIELDS, LANGUAGES, languageName, patchOf, sameDraft, timeZones, type KitDraft } from './brandKit.ts';
import { KitPreview } from './KitPreview.tsx';

const section = sectionAt('/settings/brand');

export function BrandKitPage() {
  const kit = useBrandQuery(['kit'], api.brand);
  return (
    <QueryState query={kit} skeletonRows={8}>
      {(brand) => <BrandKitForm key={brand.id} brand={brand} />}
    </QueryState>
  );
}

function BrandKitForm({ brand }: { brand: Brand }) {
  const { isManager, refresh, brandId } = useSignedIn();
  const queryClient = useQueryClient();
  const errors = useFormErrors(KIT_FIELDS);
  const [saved, setSaved] = useState<KitDraft>(() => draftOf(brand));
  const [draft, setDraft] = useState<KitDraft>(saved);
  const [saving, setSaving] = useState(false);
  const dirty = !sameDraft(draft, saved);

  // Another tab or member may change the kit; adopt the server's copy when nothing is being edited.
  useEffect(() => {
    const fresh = draftOf(brand);
    if (!dirty) setDraft(fresh);
    setSaved(fresh);
  }, [brand]);

  function set<K extends keyof KitDraft>(key: K, value: KitDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
    errors.clearField(key);
  }
  const text = (key: Exclude<keyof KitDraft, 'colors'>) => ({
    value: draft[key],
    onChange: (e: { currentTarget: { value: string } }) => set(key, e.currentTarget.value),
    error: errors.fields[key],
    disabled: !isManager,
  });

  function discard() {
    setDraft(saved);
    errors.clear();
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    errors.clear();
    try {
      const updated = await api.updateBrand(patchOf(draft));
      queryClient.setQueryData(brandKey(brandId, 'kit'), updated);
      await queryClient.invalidateQueries({ queryKey: ['brands'] });
      if (updated.name !== brand.name) await refresh(updated.id);
      setSaved(draftOf(updated));
      setDraft(draftOf(updated));
      notifications.show({ color: 'teal', title: 'Brand kit saved', message: 'New emails will use these settings.' });
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={save} noValidate>
      <PageHeader
        title="Brand kit"
        description={section.summary}
      />
      {!isManager && (
        <Alert color="gray" variant="light" icon={<IconLock size={18} />} mb="lg">
          Only managers can change the brand kit. You can still see it.
        </Alert>
      )}
      {errors.message && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="lg">
          {errors.message}
        </Alert>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <FormSection title="Identity" description="How the brand is named and recognised.">
              <TextInput label="Brand name" {...text('name')} />
              <LogoField {...text('logoUrl')} />
            </FormSection>

            <FormSection title="Colours" description="Used by every email of this brand. Primary is also this app’s accent.">
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
                {COLOR_ROLES.map((c) => (
                  <ColorInput
                    key={c.key}
                    label={c.label}
                    description={c.description}
                    format="hex"
                    value={draft.colors[c.key]}
                    onChange={(value) => {
                      setDraft((d) => ({ ...d, colors: { ...d.colors, [c.key]: value } }));
                      errors.clearField(`colors.${c.key}`);
                    }}
                    error={errors.fields[`colors.${c.key}`]}
                    disabled={!isManager}
                    withEyeDropper={false}
                  />
                ))}
              </SimpleGrid>
            </FormSection>

            <FormSection title="Typography" description="CSS font stacks. Web fonts need a fallback: Outlook and Gmail show the fallback.">
              <Autocomplete label="Heading font" data={FONT_STACKS} {...text('headingFont')} onChange={(v) => set('headingFont', v)} />
              <Autocomplete label="Body font" data={FONT_STACKS} {...text('bodyFont')} onChange={(v) => set('bodyFont', v)} />
            </FormSection>

            <FormSection title="Sender" description="Defaults for new emails; each email or campaign can override them.">
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
                <TextInput label="From name" {...text('fromName')} />
                <TextInput label="From email" type="email" {...text('fromEmail')} />
              </SimpleGrid>
              <TextInput label="Reply-To" type="email" placeholder="Replies go to the From address" {...text('replyTo')} />
              <Textarea label="Postal address" description="Printed in the footer of every marketing email." autosize minRows={2} {...text('postalAddress')} />
            </FormSection>

            <FormSection title="Language and time" description="Defaults for new emails and for schedules without a zone.">
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
                <Autocomplete
                  label="Default language"
                  description={languageName(draft.defaultLanguage)}
                  data={LANGUAGES}
                  renderOption={({ option }) => (
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" ff="monospace" w={48}>
                        {option.value}
                      </Text>
                      <Text size="sm" c="dimmed">
                        {languageName(option.value)}
                      </Text>
                    </Group>
                  )}
                  {...text('defaultLanguage')}
                  onChange={(v) => set('defaultLanguage', v)}
                />
                <Select
                  label="Time zone"
                  description="IANA zone"
                  searchable
                  data={timeZones(draft.timeZone)}
                  value={draft.timeZone}
                  onChange={(v) => v && set('timeZone', v)}
                  error={errors.fields.timeZone}
                  disabled={!isManager}
                  nothingFoundMessage="No such zone"
                  allowDeselect={false}
                />
              </SimpleGrid>
            </FormSection>

            <FormSection title="Voice and knowledge" description="What the composer reads before it writes for this brand.">
              <Textarea label="Voice and tone" placeholder="Warm, direct, a little playful. Short sentences. Never pushy." autosize minRows={3} maxRows={10} {...text('voice')} />
              <Textarea
                label="Knowledge"
                description="Products, offers, policies and facts the composer may use."
                placeholder={'Free shipping over $40.\nSubscriptions ship every 2 or 4 weeks.'}
                autosize
                minRows={5}
                maxRows={16}
                {...text('knowledge')}
              />
            </FormSection>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Box pos="sticky" top={24}>
            <KitPreview kit={draft} />
            {isManager && (
              <Text size="xs" c="dimmed" mt="sm" ta="center">
                {dirty ? 'Unsaved changes' : 'All changes saved'}
              </Text>
            )}
          </Box>
        </Grid.Col>
      </Grid>
      {isManager && <SaveBar dirty={dirty} saving={saving} onDiscard={discard} />}
    </form>
  );
}

function LogoField(props: { value: string; onChange(e: { currentTarget: { value: string } }): void; error?: string; disabled: boolean }) {
  const [broken, setBroken] = useState<string | null>(null);
  const url = props.value.trim();
  const showImage = /^https?:\/\/\S+$/i.test(url) && broken !== url;
  return (
    <Group align="flex-start" gap="md" wrap="nowrap">
      <Box
        w={72}
        h={72}
        style={{ flexShrink: 0, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)', display: 'grid', placeItems: 'center', overflow: 'hidden', background: 'white' }}
        mt={24}
      >
        {showImage ? (
          <img src={url} alt="Logo preview" onError={() => setBroken(url)} style={{ maxWidth: 60, maxHeight: 60, objectFit: 'contain' }} />
        ) : (
          <Text size="xs" c="dimmed" ta="center" px={4}>
            {url && broken === url ? 'Cannot load' : 'No logo'}
          </Text>
        )}
      </Box>
      <TextInput label="Logo URL" placeholder="https://…/logo.png" description="A public https image, at least 2× the display size." style={{ flex: 1 }} {...props} />
    </Group>
  );
}
